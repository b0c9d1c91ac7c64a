// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {IMorpho, IMorphoBase, MarketParams} from "@morpho-org/morpho-blue/src/interfaces/IMorpho.sol";
import {LoopAccount} from "./LoopAccount.sol";

/// @title MorphoPositionOpener
/// @notice Replica helper: opens many borrower positions on the real Morpho Blue in one transaction. Each position
/// is its own account (a `LoopAccount` clone controlled by this contract) that calls Morpho's real
/// `supplyCollateral` and `borrow` for itself, so Morpho sees ordinary borrowers; the borrowed WETH stays in the
/// account.
contract MorphoPositionOpener is Ownable {
  using SafeERC20 for IERC20;

  /// @notice One position: collateral supplied and loan-token amount borrowed.
  struct PositionRequest {
    uint256 collateralAmount;
    uint256 borrowAmount;
  }

  /// @notice Emitted per position opened.
  event MorphoPositionOpened(uint256 indexed index, address indexed account, uint256 collateralAmount, uint256 borrowAmount);

  /// @notice The Morpho Blue instance.
  IMorpho public immutable MORPHO;
  /// @notice The LoopAccount implementation the accounts clone.
  address public immutable ACCOUNT_IMPLEMENTATION;

  address[] private _accounts;

  constructor(IMorpho morpho, address owner_) Ownable(owner_) {
    MORPHO = morpho;
    ACCOUNT_IMPLEMENTATION = address(new LoopAccount());
  }

  /// @notice Opens one account per request in `market`; the collateral comes from this contract's balance.
  function openPositions(
    MarketParams calldata market,
    PositionRequest[] calldata requests
  ) external onlyOwner returns (address[] memory accounts) {
    accounts = new address[](requests.length);
    for (uint256 i = 0; i < requests.length; ++i) {
      PositionRequest calldata r = requests[i];
      LoopAccount account = LoopAccount(Clones.clone(ACCOUNT_IMPLEMENTATION));
      account.initialize(address(this));
      IERC20(market.collateralToken).safeTransfer(address(account), r.collateralAmount);
      account.execute(market.collateralToken, abi.encodeCall(IERC20.approve, (address(MORPHO), r.collateralAmount)));
      account.execute(
        address(MORPHO),
        abi.encodeCall(IMorphoBase.supplyCollateral, (market, r.collateralAmount, address(account), ""))
      );
      if (r.borrowAmount > 0) {
        account.execute(
          address(MORPHO),
          abi.encodeCall(IMorphoBase.borrow, (market, r.borrowAmount, 0, address(account), address(account)))
        );
      }
      accounts[i] = address(account);
      _accounts.push(address(account));
      emit MorphoPositionOpened(_accounts.length - 1, address(account), r.collateralAmount, r.borrowAmount);
    }
  }

  /// @notice Number of accounts opened so far.
  function accountCount() external view returns (uint256) {
    return _accounts.length;
  }
}
