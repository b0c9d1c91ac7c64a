// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IPoolConfigurator} from "@aave-dao/aave-v3-origin/src/contracts/interfaces/IPoolConfigurator.sol";
import {ILiquidationPauseGuard} from "./ILiquidationPauseGuard.sol";
import {IAaveReserveConfigReader} from "./external/IAaveReserveConfigReader.sol";

/// @title IAaveGracePeriodAdapter
/// @notice Mirrors the LiquidationPauseGuard's per-asset pauses into Aave v3.1+ per-reserve liquidation grace
/// periods: `setReservePause(asset, false, gracePeriod)` (grace <= 4 h, EMERGENCY_ADMIN) while the guard blocks
/// liquidations of the asset, `disableLiquidationGracePeriod(asset)` when the guard no longer does.
/// @dev Unlike the global v3.0 sentinel (consulted only at HF >= 0.95), the v3.1+ reserve grace period blocks
/// liquidations using that reserve as collateral or debt at every health factor, so the guard's hard limits matter
/// even more there. Aave caps one grace period at 4 h: a longer guard pause needs another `sync`
/// within 4 h (keepers call it periodically; `sync` extends once less than 2 h of Aave's grace remain).
/// `setReservePause(asset, false, …)` also *unpauses* the reserve, so `sync` refuses to act on a paused reserve.
/// Tested on the real Aave v3.6 Pool and PoolConfigurator (compiled from the aave-v3-origin 3.6.0 package):
/// test/aave36/grace-period.test.ts.
interface IAaveGracePeriodAdapter {
  /// @notice Emitted when a grace period was written into Aave.
  event GracePeriodMirrored(address indexed asset, uint256 until);
  /// @notice Emitted when the grace period was disabled in Aave.
  event GracePeriodCleared(address indexed asset);

  /// @notice The reserve is paused by Aave's emergency admin: writing a grace period would unpause it.
  error GraceAdapterReservePaused(address asset);
  /// @notice A constructor argument is the zero address.
  error GraceAdapterZeroAddress();

  /// @notice Aave's cap on one liquidation grace period.
  function MAX_GRACE_PERIOD() external view returns (uint40);

  /// @notice The guard mirrored.
  function GUARD() external view returns (ILiquidationPauseGuard);

  /// @notice Aave v3.1+ PoolConfigurator (this adapter must hold EMERGENCY_ADMIN).
  function CONFIGURATOR() external view returns (IPoolConfigurator);

  /// @notice Aave Pool, read for the reserve's paused flag.
  function POOL() external view returns (IAaveReserveConfigReader);

  /// @notice Permissionless: bring Aave's grace period for `asset` in line with the guard.
  /// @return changed Whether anything was written into Aave.
  function sync(address asset) external returns (bool changed);

  /// @notice The grace-period end this adapter last wrote (0 = none/disabled).
  function mirroredUntil(address asset) external view returns (uint40);
}
