// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @notice The Aave v3 Pool calls the batch liquidator makes (same signatures on v3.0.2 and v3.6).
interface IBatchLiquidationPool {
  function liquidationCall(
    address collateralAsset,
    address debtAsset,
    address user,
    uint256 debtToCover,
    bool receiveAToken
  ) external;

  function getUserAccountData(address user)
    external
    view
    returns (
      uint256 totalCollateralBase,
      uint256 totalDebtBase,
      uint256 availableBorrowsBase,
      uint256 currentLiquidationThreshold,
      uint256 ltv,
      uint256 healthFactor
    );
}

/// @notice The replica DEX pool's swap (contracts/mocks/dex).
interface IBatchSwapPool {
  function swap(address tokenIn, uint256 amountIn, uint256 minAmountOut, address to) external returns (uint256 amountOut);
}

/// @title ReplayBatchLiquidator
/// @notice Test-harness liquidation bot of the replay engine, as liquidators run on mainnet: one transaction walks a
///         list of borrowers in the given order and, for each, (1) reads its health factor from the Pool, (2) calls
///         the real Aave `liquidationCall(collateral, debt, user, type(uint256).max, false)` (Aave applies its close
///         factor), (3) sells everything seized into the scenario's DEX pool, and (4) keeps the liquidation only if
///         the sale covered the debt repaid; otherwise that one liquidation is rolled back (a bot does not lose
///         money). Every borrower walked gets one event: `BatchLiquidationExecuted` or `BatchLiquidationSkipped`.
/// @dev Holds the debt asset it repays with (funded by the harness); only its owner may call. Not part of Cascade
///      Guard. Each borrower runs in its own call frame (`liquidateOne`, callable only by this contract) so a revert
///      (HF >= 1, a paused or frozen reserve, the sentinel, an unprofitable sale) undoes that borrower only. The walk
///      stops before a borrower when less than `minGasPerUser` gas is left; the caller resumes from the first borrower
///      without an event.
contract ReplayBatchLiquidator {
  using SafeERC20 for IERC20;

  /// @notice The caller is not the owner.
  error ReplayBatchLiquidatorNotOwner(address caller);
  /// @notice `liquidateOne` was called by someone other than this contract.
  error ReplayBatchLiquidatorNotSelf(address caller);
  /// @notice The borrower's health factor (WAD) is not below 1: nothing to liquidate.
  error ReplayBatchLiquidatorHealthy(address user, uint256 healthFactorWad);
  /// @notice The sale of the seized collateral returned less than the debt repaid (debt asset units).
  error ReplayBatchLiquidatorUnprofitable(address user, uint256 proceeds, uint256 debtRepaid);

  /// @notice A borrower was liquidated and its seized collateral sold.
  /// @param index Position of the borrower in the call's list.
  /// @param user The borrower.
  /// @param healthFactorBeforeWad Its health factor just before, per `getUserAccountData` (1e18 = 1).
  /// @param debtRepaid Debt asset spent, token units.
  /// @param seized Collateral received, token units.
  /// @param proceeds Debt asset received from the sale, token units.
  event BatchLiquidationExecuted(
    uint256 indexed index,
    address indexed user,
    uint256 healthFactorBeforeWad,
    uint256 debtRepaid,
    uint256 seized,
    uint256 proceeds
  );

  /// @notice A borrower was walked but not liquidated; `reason` is the revert data (one of this contract's errors, or
  ///         the Pool's).
  event BatchLiquidationSkipped(uint256 indexed index, address indexed user, bytes reason);

  /// @notice The harness account that drives it.
  address public immutable OWNER;

  constructor(address owner) {
    OWNER = owner;
  }

  /// @notice Walks `users` in order from `users[0]`; see the contract notice.
  /// @param minGasPerUser Gas that must be left before a borrower is walked (else the walk stops there).
  /// @return walked Number of borrowers walked (each has an event); the rest were not touched.
  function liquidateAll(
    address pool,
    address collateral,
    address debt,
    address[] calldata users,
    address dex,
    uint256 minGasPerUser
  ) external returns (uint256 walked) {
    if (msg.sender != OWNER) revert ReplayBatchLiquidatorNotOwner(msg.sender);
    IERC20(debt).forceApprove(pool, type(uint256).max);
    IERC20(collateral).forceApprove(dex, type(uint256).max);
    for (; walked < users.length; ++walked) {
      if (gasleft() < minGasPerUser) break;
      address user = users[walked];
      try this.liquidateOne(pool, collateral, debt, user, dex) returns (
        uint256 hfWad, uint256 debtRepaid, uint256 seized, uint256 proceeds
      ) {
        emit BatchLiquidationExecuted(walked, user, hfWad, debtRepaid, seized, proceeds);
      } catch (bytes memory reason) {
        emit BatchLiquidationSkipped(walked, user, reason);
      }
    }
  }

  /// @notice One borrower: HF check, `liquidationCall`, sale, profitability check. Only this contract may call it.
  function liquidateOne(address pool, address collateral, address debt, address user, address dex)
    external
    returns (uint256 hfWad, uint256 debtRepaid, uint256 seized, uint256 proceeds)
  {
    if (msg.sender != address(this)) revert ReplayBatchLiquidatorNotSelf(msg.sender);
    (,,,,, hfWad) = IBatchLiquidationPool(pool).getUserAccountData(user);
    if (hfWad >= 1e18) revert ReplayBatchLiquidatorHealthy(user, hfWad);
    uint256 debtBefore = IERC20(debt).balanceOf(address(this));
    uint256 collBefore = IERC20(collateral).balanceOf(address(this));
    IBatchLiquidationPool(pool).liquidationCall(collateral, debt, user, type(uint256).max, false);
    debtRepaid = debtBefore - IERC20(debt).balanceOf(address(this));
    seized = IERC20(collateral).balanceOf(address(this)) - collBefore;
    if (seized > 0) proceeds = IBatchSwapPool(dex).swap(collateral, seized, 0, address(this));
    if (proceeds < debtRepaid) revert ReplayBatchLiquidatorUnprofitable(user, proceeds, debtRepaid);
  }
}
