// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IPool} from "@aave/core-v3/contracts/interfaces/IPool.sol";
import {IPoolConfigurator} from "@aave/core-v3/contracts/interfaces/IPoolConfigurator.sol";
import {DataTypes} from "@aave/core-v3/contracts/protocol/libraries/types/DataTypes.sol";
import {ReserveConfiguration} from "@aave/core-v3/contracts/protocol/libraries/configuration/ReserveConfiguration.sol";

/// @title AaveV30ConfigAdapter
/// @notice How the haircut module reads and writes collateral parameters on Aave v3.0.x-v3.1 (Spark and other
/// forks): the reserve's eMode category id sits in its configuration bitmap (read through Aave's own
/// `ReserveConfiguration`), `setEModeCategory` takes a price source, a category's LTV/LT must exceed every member
/// reserve's LTV/LT, and a freeze keeps the reserve's LTV.
/// @dev Internal library: compiled into `WideningHaircutModule`, which calls it only when
/// `AAVE_GENERATION() == V3_0` (detected once, at construction). Writes report Aave's refusal instead of reverting.
library AaveV30ConfigAdapter {
  using ReserveConfiguration for DataTypes.ReserveConfigurationMap;

  /// @notice The reserve's LTV, LT and bonus (bps, Aave encoding) as Aave applies them, and its frozen flag.
  function readReserve(
    IPool pool,
    address asset
  ) internal view returns (uint256 ltvBps, uint256 ltBps, uint256 lbBps, bool frozen) {
    DataTypes.ReserveConfigurationMap memory m = pool.getConfiguration(asset);
    return (m.getLtv(), m.getLiquidationThreshold(), m.getLiquidationBonus(), m.getFrozen());
  }

  /// @notice Whether `asset` is a member of eMode `categoryId` (its reserve bitmap names the category).
  function isEModeCollateral(IPool pool, address asset, uint8 categoryId) internal view returns (bool) {
    return pool.getConfiguration(asset).getEModeCategory() == categoryId;
  }

  /// @notice A reserve other than `asset` in eMode `categoryId` (address(0) = none): a scan of the pool's reserves.
  function otherMember(IPool pool, address asset, uint8 categoryId) internal view returns (address) {
    address[] memory reserves = pool.getReservesList();
    for (uint256 i = 0; i < reserves.length; ++i) {
      if (reserves[i] == asset) continue;
      if (pool.getConfiguration(reserves[i]).getEModeCategory() == categoryId) return reserves[i];
    }
    return address(0);
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

  /// @notice Rewrites the category's LTV/LT/bonus with its price source and label; `ok` false (and Aave's reason)
  /// when Aave refused.
  function writeEMode(
    IPoolConfigurator configurator,
    uint8 categoryId,
    uint16 ltvBps,
    uint16 ltBps,
    uint16 lbBps,
    address priceSource,
    string memory label
  ) internal returns (bool ok, bytes memory reason) {
    try configurator.setEModeCategory(categoryId, ltvBps, ltBps, lbBps, priceSource, label) {
      ok = true;
    } catch (bytes memory r) {
      reason = r;
    }
  }

  /// @notice Freezes (`frozen` true) or unfreezes the reserve; v3.0 changes nothing else.
  function setFrozen(
    IPoolConfigurator configurator,
    address asset,
    bool frozen
  ) internal returns (bool ok, bytes memory reason) {
    try configurator.setReserveFreeze(asset, frozen) {
      ok = true;
    } catch (bytes memory r) {
      reason = r;
    }
  }
}
