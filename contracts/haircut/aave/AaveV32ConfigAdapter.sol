// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {IPool} from "@aave-dao/aave-v3-origin/src/contracts/interfaces/IPool.sol";
import {IPoolConfigurator} from "@aave-dao/aave-v3-origin/src/contracts/interfaces/IPoolConfigurator.sol";
import {DataTypes} from "@aave-dao/aave-v3-origin/src/contracts/protocol/libraries/types/DataTypes.sol";
import {ReserveConfiguration} from "@aave-dao/aave-v3-origin/src/contracts/protocol/libraries/configuration/ReserveConfiguration.sol";
import {EModeConfiguration} from "@aave-dao/aave-v3-origin/src/contracts/protocol/libraries/configuration/EModeConfiguration.sol";

/// @title AaveV32ConfigAdapter
/// @notice How the haircut module writes collateral parameters on Aave v3.2+ (v3.6 today, the Aave that holds the
/// LRTs): liquid eMode (membership in per-category collateral/borrowable bitmaps, read through Aave's own
/// `EModeConfiguration`; reserve bitmap bits 168-175 unused), `setEModeCategory(id, ltv, lt, lb, label)` with no
/// price source and no member-LTV constraint, and the v3.6 freeze rules: `setReserveFreeze` requires the state to
/// change and on freeze moves the reserve LTV to `getPendingLtv` (LTV 0) and sets the asset's LTV-zero bit in
/// every category where it is collateral; an unfreeze restores neither.
/// @dev Internal library: its functions are compiled into `WideningHaircutModule`, which calls them only when
/// `AAVE_GENERATION() == V3_2` (detected once, at construction). Same function set as `AaveV30ConfigAdapter`.
library AaveV32ConfigAdapter {
  using ReserveConfiguration for DataTypes.ReserveConfigurationMap;

  /// @notice Whether the v3.2+ surface answers: `getEModeCategoryCollateralConfig` exists from v3.2 on.
  function detect(address pool) internal view returns (bool) {
    try IPool(pool).getEModeCategoryCollateralConfig(0) returns (DataTypes.CollateralConfig memory) {
      return true;
    } catch {
      return false;
    }
  }

  /// @notice Whether `asset` is collateral in eMode `categoryId` (its bit in the category's collateral bitmap).
  function isEModeCollateral(IPool pool, address asset, uint8 categoryId) internal view returns (bool) {
    return
      EModeConfiguration.isReserveEnabledOnBitmap(
        pool.getEModeCategoryCollateralBitmap(categoryId),
        pool.getReserveData(asset).id
      );
  }

  /// @notice The reserve's index in Aave's bitmaps (fixed while the asset is listed).
  function reserveId(IPool pool, address asset) internal view returns (uint16) {
    return pool.getReserveData(asset).id;
  }

  /// @notice Whether the reserve with index `id` is the only collateral of `categoryId` (the category is its own:
  /// an LT cut there reaches only holders of this asset).
  function isSoleEModeCollateral(IPool pool, uint16 id, uint8 categoryId) internal view returns (bool) {
    return pool.getEModeCategoryCollateralBitmap(categoryId) == uint128(1) << id;
  }

  /// @notice The category's LTV, LT and bonus (bps, Aave encoding) as stored in the Pool.
  function readEMode(IPool pool, uint8 categoryId) internal view returns (uint256 ltvBps, uint256 ltBps, uint256 lbBps) {
    DataTypes.CollateralConfig memory cat = pool.getEModeCategoryCollateralConfig(categoryId);
    return (cat.ltv, cat.liquidationThreshold, cat.liquidationBonus);
  }

  /// @notice Rewrites the category's LTV/LT/bonus, keeping its label.
  function writeEMode(
    IPool pool,
    IPoolConfigurator configurator,
    uint8 categoryId,
    uint16 ltvBps,
    uint16 ltBps,
    uint16 lbBps
  ) internal {
    configurator.setEModeCategory(categoryId, ltvBps, ltBps, lbBps, pool.getEModeCategoryLabel(categoryId));
  }

  /// @notice Freezes the reserve under v3.6 rules and records what the freeze changed that an unfreeze must undo:
  /// the reserve LTV (moved to pending unless it was 0 already) and the asset's LTV-zero bit in `categoryId`
  /// (set unless it was set already). The caller checked the reserve is not frozen (v3.6 refuses a no-op freeze).
  /// Other categories where the asset is collateral also get their LTV-zero bit from Aave; they are left to
  /// governance (the module manages one category per asset).
  function freeze(
    IPool pool,
    IPoolConfigurator configurator,
    address asset,
    uint8 categoryId
  ) internal returns (bool restoreReserveLtv, bool restoreEModeLtv) {
    DataTypes.ReserveDataLegacy memory r = pool.getReserveData(asset);
    restoreReserveLtv = r.configuration.getLtv() != 0;
    if (categoryId != 0) {
      restoreEModeLtv = !EModeConfiguration.isReserveEnabledOnBitmap(pool.getEModeCategoryLtvzeroBitmap(categoryId), r.id);
    }
    configurator.setReserveFreeze(asset, true);
  }

  /// @notice Unfreezes the reserve (the caller checked it is frozen) and undoes what the module's freeze did: the
  /// reserve LTV comes back from pending (the value the module last wrote while frozen) and the asset's LTV-zero bit
  /// in `categoryId` is cleared, each only if the freeze set it and it is still set.
  function unfreeze(
    IPool pool,
    IPoolConfigurator configurator,
    address asset,
    uint8 categoryId,
    bool restoreReserveLtv,
    bool restoreEModeLtv
  ) internal {
    configurator.setReserveFreeze(asset, false);
    if (restoreReserveLtv && configurator.getPendingLtv(asset) != 0 && pool.getConfiguration(asset).getLtv() == 0) {
      configurator.setReserveLtvzero(asset, false);
    }
    if (restoreEModeLtv && categoryId != 0) {
      uint16 id = pool.getReserveData(asset).id;
      if (EModeConfiguration.isReserveEnabledOnBitmap(pool.getEModeCategoryLtvzeroBitmap(categoryId), id)) {
        configurator.setAssetLtvzeroInEMode(asset, categoryId, false);
      }
    }
  }
}
