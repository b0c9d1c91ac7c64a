// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IPoolConfigurator} from "@aave-dao/aave-v3-origin/src/contracts/interfaces/IPoolConfigurator.sol";
import {IAaveGracePeriodAdapter} from "../interfaces/IAaveGracePeriodAdapter.sol";
import {ILiquidationPauseGuard} from "../interfaces/ILiquidationPauseGuard.sol";
import {IAaveReserveConfigReader} from "../interfaces/external/IAaveReserveConfigReader.sol";

/// @title AaveGracePeriodAdapter
/// @notice Aave v3.1+ per-reserve liquidation grace periods driven by the LiquidationPauseGuard.
/// @dev See `IAaveGracePeriodAdapter`.
contract AaveGracePeriodAdapter is IAaveGracePeriodAdapter {
  /// @inheritdoc IAaveGracePeriodAdapter
  uint40 public constant MAX_GRACE_PERIOD = 4 hours;
  uint256 private constant PAUSED_BIT = 60;

  /// @inheritdoc IAaveGracePeriodAdapter
  ILiquidationPauseGuard public immutable GUARD;
  /// @inheritdoc IAaveGracePeriodAdapter
  IPoolConfigurator public immutable CONFIGURATOR;
  /// @inheritdoc IAaveGracePeriodAdapter
  IAaveReserveConfigReader public immutable POOL;

  /// @inheritdoc IAaveGracePeriodAdapter
  mapping(address asset => uint40) public mirroredUntil;

  constructor(ILiquidationPauseGuard guard, IPoolConfigurator configurator, IAaveReserveConfigReader pool) {
    if (address(guard) == address(0) || address(configurator) == address(0) || address(pool) == address(0)) {
      revert GraceAdapterZeroAddress();
    }
    GUARD = guard;
    CONFIGURATOR = configurator;
    POOL = pool;
  }

  /// @inheritdoc IAaveGracePeriodAdapter
  function sync(address asset) external returns (bool) {
    uint256 blockedUntil = GUARD.getPauseState(asset).liquidationBlockedUntil;
    uint256 nowTs = block.timestamp;
    uint256 mirrored = mirroredUntil[asset];
    if (nowTs < blockedUntil) {
      uint256 cap = nowTs + MAX_GRACE_PERIOD;
      uint256 desired = blockedUntil < cap ? blockedUntil : cap;
      // Nothing to do when Aave already covers the guard, or still covers more than half the maximum ahead.
      if (mirrored >= desired || (mirrored < blockedUntil && mirrored >= nowTs + MAX_GRACE_PERIOD / 2)) return false;
      if ((POOL.getConfiguration(asset) >> PAUSED_BIT) & 1 == 1) revert GraceAdapterReservePaused(asset);
      mirroredUntil[asset] = uint40(desired);
      // desired - now <= 4 h fits uint40.
      CONFIGURATOR.setReservePause(asset, false, uint40(desired - nowTs));
      emit GracePeriodMirrored(asset, desired);
      return true;
    }
    if (mirrored > nowTs) {
      mirroredUntil[asset] = 0;
      CONFIGURATOR.disableLiquidationGracePeriod(asset);
      emit GracePeriodCleared(asset);
      return true;
    }
    return false;
  }
}
