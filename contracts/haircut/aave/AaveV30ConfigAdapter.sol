// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IPool} from "@aave/core-v3/contracts/interfaces/IPool.sol";
import {IPoolConfigurator} from "@aave/core-v3/contracts/interfaces/IPoolConfigurator.sol";
import {DataTypes} from "@aave/core-v3/contracts/protocol/libraries/types/DataTypes.sol";
import {ReserveConfiguration} from "@aave/core-v3/contracts/protocol/libraries/configuration/ReserveConfiguration.sol";

/// @title AaveV30ConfigAdapter
/// @notice How the haircut module writes collateral parameters on Aave v3.0.x-v3.1 (Spark and other forks): the
/// reserve's eMode category id sits in its configuration bitmap (read through Aave's own `ReserveConfiguration`),
/// `setEModeCategory` takes a price source, a category's LTV/LT must exceed every member reserve's LTV/LT, and a
/// freeze keeps the reserve's LTV.
/// @dev Internal library: its functions are compiled into `WideningHaircutModule`, which calls them only when
/// `AAVE_GENERATION() == V3_0` (detected once, at construction). Same function set as `AaveV32ConfigAdapter`.
library AaveV30ConfigAdapter {
  using ReserveConfiguration for DataTypes.ReserveConfigurationMap;

  /// @notice Whether `asset` is a member of eMode `categoryId` (its reserve bitmap names the category).
  function isEModeCollateral(IPool pool, address asset, uint8 categoryId) internal view returns (bool) {
    return pool.getConfiguration(asset).getEModeCategory() == categoryId;
  }

  /// @notice The category's LTV, LT and bonus (bps, Aave encoding) as stored in the Pool.
  function readEMode(IPool pool, uint8 categoryId) internal view returns (uint256 ltvBps, uint256 ltBps, uint256 lbBps) {
    DataTypes.EModeCategory memory cat = pool.getEModeCategoryData(categoryId);
    return (cat.ltv, cat.liquidationThreshold, cat.liquidationBonus);
  }

  /// @notice Rewrites the category's LTV/LT/bonus, keeping Aave's price source and label.
  function writeEMode(
    IPool pool,
    IPoolConfigurator configurator,
    uint8 categoryId,
    uint16 ltvBps,
    uint16 ltBps,
    uint16 lbBps
  ) internal {
    DataTypes.EModeCategory memory cat = pool.getEModeCategoryData(categoryId);
    configurator.setEModeCategory(categoryId, ltvBps, ltBps, lbBps, cat.priceSource, cat.label);
  }

  /// @notice The first member of `categoryId` other than `asset` whose reserve LTV or LT is at or above the given
  /// eMode floors (v3.0 `setEModeCategory` would refuse such floors), with the offending value; address(0) if none.
  function memberAtOrAboveFloors(
    IPool pool,
    address asset,
    uint8 categoryId,
    uint256 floorLtvBps,
    uint256 floorLtBps
  ) internal view returns (address member, uint256 memberValueBps, uint256 floorBps) {
    address[] memory reserves = pool.getReservesList();
    for (uint256 i = 0; i < reserves.length; ++i) {
      if (reserves[i] == asset) continue;
      DataTypes.ReserveConfigurationMap memory m = pool.getConfiguration(reserves[i]);
      if (m.getEModeCategory() != categoryId) continue;
      if (floorLtvBps <= m.getLtv()) return (reserves[i], m.getLtv(), floorLtvBps);
      if (floorLtBps <= m.getLiquidationThreshold()) return (reserves[i], m.getLiquidationThreshold(), floorLtBps);
    }
  }

  /// @notice Freezes the reserve (v3.0 keeps LTV and eMode untouched). The caller checked it is not frozen.
  /// @return restoreReserveLtv Always false here (nothing to restore on unfreeze).
  /// @return restoreEModeLtv Always false here.
  function freeze(IPool, IPoolConfigurator configurator, address asset, uint8) internal returns (bool, bool) {
    configurator.setReserveFreeze(asset, true);
    return (false, false);
  }

  /// @notice Unfreezes the reserve. The caller checked it is frozen.
  function unfreeze(IPool, IPoolConfigurator configurator, address asset, uint8, bool, bool) internal {
    configurator.setReserveFreeze(asset, false);
  }
}
