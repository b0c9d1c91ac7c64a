// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {IPool} from "@aave/core-v3/contracts/interfaces/IPool.sol";
import {LoopAccount} from "./LoopAccount.sol";

/// @title PositionOpener
/// @notice Opens many looped positions per transaction through the real Aave Pool, one `LoopAccount` clone per
///         position, so a population of hundreds of borrowers is set up in a handful of transactions.
///         Collateral comes from this contract's token balance (the deploy script mints it here first).
contract PositionOpener is Ownable {
  using SafeERC20 for IERC20;

  /// @notice One position: supply `collateralAmount` of `collateral`, enter `eModeCategoryId` (0 = none),
  ///         borrow `debtAmount` of `debtAsset` (variable rate). Amounts in token units.
  struct PositionRequest {
    address collateral;
    uint256 collateralAmount;
    uint8 eModeCategoryId;
    address debtAsset;
    uint256 debtAmount;
  }

  /// @notice Emitted after a position was opened.
  event PositionOpened(
    uint256 indexed index,
    address indexed account,
    address indexed collateral,
    uint256 collateralAmount,
    uint8 eModeCategoryId,
    uint256 debtAmount
  );

  /// @notice The Pool every account uses.
  IPool public immutable POOL;
  /// @notice LoopAccount implementation the clones delegate to.
  address public immutable ACCOUNT_IMPLEMENTATION;

  address[] private _accounts;

  /// @param pool Aave Pool (proxy)
  /// @param owner_ may open positions and act through accounts
  constructor(IPool pool, address owner_) Ownable(owner_) {
    POOL = pool;
    ACCOUNT_IMPLEMENTATION = address(new LoopAccount());
  }

  /// @notice Opens `requests` in order; returns the new accounts.
  function openPositions(PositionRequest[] calldata requests) external onlyOwner returns (address[] memory accounts) {
    accounts = new address[](requests.length);
    for (uint256 i = 0; i < requests.length; ++i) {
      PositionRequest calldata r = requests[i];
      LoopAccount account = LoopAccount(Clones.clone(ACCOUNT_IMPLEMENTATION));
      account.initialize(address(this));
      IERC20(r.collateral).safeTransfer(address(account), r.collateralAmount);
      account.open(POOL, r.collateral, r.collateralAmount, r.eModeCategoryId, r.debtAsset, r.debtAmount);
      accounts[i] = address(account);
      _accounts.push(address(account));
      emit PositionOpened(
        _accounts.length - 1, address(account), r.collateral, r.collateralAmount, r.eModeCategoryId, r.debtAmount
      );
    }
  }

  /// @notice Calls `target` with `data` as `account` (one of this opener's accounts).
  function execute(address account, address target, bytes calldata data) external onlyOwner returns (bytes memory) {
    return LoopAccount(account).execute(target, data);
  }

  /// @notice Number of accounts opened so far.
  function accountCount() external view returns (uint256) {
    return _accounts.length;
  }

  /// @notice Accounts in [from, to).
  function accountsSlice(uint256 from, uint256 to) external view returns (address[] memory out) {
    if (to > _accounts.length) to = _accounts.length;
    if (from > to) from = to;
    out = new address[](to - from);
    for (uint256 i = from; i < to; ++i) out[i - from] = _accounts[i];
  }
}
