// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @notice The two calls the replay's liquidator makes on an Aave v3 Pool (any generation: same signature).
interface ILiquidationPool {
  function liquidationCall(
    address collateralAsset,
    address debtAsset,
    address user,
    uint256 debtToCover,
    bool receiveAToken
  ) external;
}

/// @notice The replica DEX pool's swap (contracts/mocks/dex).
interface ISwapPool {
  function swap(address tokenIn, uint256 amountIn, uint256 minAmountOut, address to) external returns (uint256 amountOut);
}

/// @title ReplayLiquidator
/// @notice Test-harness liquidator of the replay engine, like a real liquidation bot: the real Aave
///         `liquidationCall(collateral, debt, user, type(uint256).max, false)` and the sale of everything it seized
///         into the scenario's DEX pool, in one transaction (one block instead of two per liquidation).
/// @dev Holds the debt asset it repays with (funded by the harness); only its owner may call. Not part of Cascade Guard.
contract ReplayLiquidator {
  using SafeERC20 for IERC20;

  /// @notice The caller is not the owner.
  error ReplayLiquidatorNotOwner(address caller);

  /// @notice The harness account that drives it.
  address public immutable OWNER;

  constructor(address owner) {
    OWNER = owner;
  }

  /// @notice Liquidates `user` (Aave applies the close factor) and sells the seized collateral into `dex`.
  /// @return debtRepaid Debt asset spent, token units.
  /// @return seized Collateral received, token units.
  /// @return proceeds Debt asset received from the sale, token units (0 when `dex` is the zero address).
  function liquidateAndSell(address pool, address collateral, address debt, address user, address dex)
    external
    returns (uint256 debtRepaid, uint256 seized, uint256 proceeds)
  {
    if (msg.sender != OWNER) revert ReplayLiquidatorNotOwner(msg.sender);
    uint256 debtBefore = IERC20(debt).balanceOf(address(this));
    uint256 collBefore = IERC20(collateral).balanceOf(address(this));
    IERC20(debt).forceApprove(pool, type(uint256).max);
    ILiquidationPool(pool).liquidationCall(collateral, debt, user, type(uint256).max, false);
    debtRepaid = debtBefore - IERC20(debt).balanceOf(address(this));
    seized = IERC20(collateral).balanceOf(address(this)) - collBefore;
    if (seized > 0 && dex != address(0)) {
      IERC20(collateral).forceApprove(dex, seized);
      proceeds = ISwapPool(dex).swap(collateral, seized, 0, address(this));
    }
  }
}
