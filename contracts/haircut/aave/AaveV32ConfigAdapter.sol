// SPDX-License-Identifier: MIT
pragma solidity ^0.8.27;

import {IPool} from "@aave-dao/aave-v3-origin/src/contracts/interfaces/IPool.sol";
import {IPoolConfigurator} from "@aave-dao/aave-v3-origin/src/contracts/interfaces/IPoolConfigurator.sol";
import {DataTypes} from "@aave-dao/aave-v3-origin/src/contracts/protocol/libraries/types/DataTypes.sol";
import {IPool as IPoolV30} from "@aave/core-v3/contracts/interfaces/IPool.sol";
import {IPoolConfigurator as IPoolConfiguratorV30} from "@aave/core-v3/contracts/interfaces/IPoolConfigurator.sol";
import {ReserveConfiguration} from "@aave-dao/aave-v3-origin/src/contracts/protocol/libraries/configuration/ReserveConfiguration.sol";
import {EModeConfiguration} from "@aave-dao/aave-v3-origin/src/contracts/protocol/libraries/configuration/EModeConfiguration.sol";

/// @title AaveV32ConfigAdapter
/// @notice How the haircut module reads and writes collateral parameters on Aave v3.2+ (v3.6 today, the Aave that
/// holds the LRTs): liquid eMode (membership in per-category collateral/borrowable bitmaps, read through Aave's own
/// `EModeConfiguration`; reserve bitmap bits 168-175 unused), `setEModeCategory(id, ltv, lt, lb, label)` with no
/// price source and no member-LTV constraint, and the v3.6 freeze rules: `setReserveFreeze` requires the state to
/// change and on freeze moves the reserve LTV to `getPendingLtv` (LTV 0) and sets the asset's LTV-zero bit in
/// every category where it is collateral; an unfreeze restores neither.
/// @dev Internal library: compiled into `WideningHaircutModule`, which calls it only when
/// `AAVE_GENERATION() == V3_2` (detected once, at construction). Writes report Aave's refusal instead of reverting.
library AaveV32ConfigAdapter {
  // `getConfiguration` / `setReserveFreeze` are unchanged since v3.0: called through the v3.0 types the module
  // already uses (one ABI coder in the module, not two). The bitmap is read with v3.6's own `ReserveConfiguration`.
  using ReserveConfiguration for DataTypes.ReserveConfigurationMap;

  function _config(IPool pool, address asset) private view returns (DataTypes.ReserveConfigurationMap memory) {
    return DataTypes.ReserveConfigurationMap(IPoolV30(address(pool)).getConfiguration(asset).data);
  }

  function _setFrozen(IPoolConfigurator configurator, address asset, bool frozen) private returns (bool ok, bytes memory reason) {
    try IPoolConfiguratorV30(address(configurator)).setReserveFreeze(asset, frozen) {
      ok = true;
    } catch (bytes memory r) {
      reason = r;
    }
  }

  /// @notice Whether the v3.2+ surface answers: `getEModeCategoryCollateralConfig` exists from v3.2 on.
  function detect(address pool) internal view returns (bool) {
    try IPool(pool).getEModeCategoryCollateralConfig(0) returns (DataTypes.CollateralConfig memory) {
      return true;
    } catch {
      return false;
    }
  }

  /// @notice The reserve's index in Aave's bitmaps (fixed while the asset is listed; `type(uint16).max` when not
  /// listed), found through `getReserveAddressById` (no decoding of Aave's whole reserve data).
  function reserveId(IPool pool, address asset) internal view returns (uint16) {
    uint256 n = pool.getReservesCount();
    for (uint256 i = 0; i < n; ++i) {
      if (pool.getReserveAddressById(uint16(i)) == asset) return uint16(i);
    }
    return type(uint16).max;
  }

  /// @notice The reserve's LTV, LT and bonus and its frozen flag. While frozen, v3.6 holds the LTV in
  /// `getPendingLtv` and shows 0: the pending value is returned (the LTV the reserve gets back when unfrozen), so
  /// the freeze's LTV 0 is neither fought nor taken for a governance change.
  function readReserve(
    IPool pool,
    IPoolConfigurator configurator,
    address asset
  ) internal view returns (uint256 ltvBps, uint256 ltBps, uint256 lbBps, bool frozen) {
    DataTypes.ReserveConfigurationMap memory m = _config(pool, asset);
    (ltvBps, ltBps, lbBps, frozen) = (m.getLtv(), m.getLiquidationThreshold(), m.getLiquidationBonus(), m.getFrozen());
    if (frozen && ltvBps == 0) ltvBps = configurator.getPendingLtv(asset);
  }

  /// @notice Whether the reserve with index `id` is collateral in eMode `categoryId` (its bit in the category's
  /// collateral bitmap).
  function isEModeCollateral(IPool pool, uint16 id, uint8 categoryId) internal view returns (bool) {
    if (id >= ReserveConfiguration.MAX_RESERVES_COUNT) return false;
    return EModeConfiguration.isReserveEnabledOnBitmap(pool.getEModeCategoryCollateralBitmap(categoryId), id);
  }

  /// @notice A collateral of `categoryId` other than the reserve with index `id` (address(0) = none: the category
  /// is this asset's own, an LT cut there reaches only its holders).
  function otherCollateral(IPool pool, uint16 id, uint8 categoryId) internal view returns (address) {
    uint256 others = uint256(pool.getEModeCategoryCollateralBitmap(categoryId)) & ~(uint256(1) << id);
    if (others == 0) return address(0);
    uint16 i;
    while ((others >> i) & 1 == 0) ++i;
    return pool.getReserveAddressById(i);
  }

  /// @notice Rewrites the category's LTV/LT/bonus with its label; `ok` false (and Aave's reason) when refused.
  function writeEMode(
    IPoolConfigurator configurator,
    uint8 categoryId,
    uint16 ltvBps,
    uint16 ltBps,
    uint16 lbBps,
    string memory label
  ) internal returns (bool ok, bytes memory reason) {
    try configurator.setEModeCategory(categoryId, ltvBps, ltBps, lbBps, label) {
      ok = true;
    } catch (bytes memory r) {
      reason = r;
    }
  }

  /// @notice Freezes the reserve under v3.6 rules (the caller checked it is not frozen: v3.6 refuses a no-op) and
  /// says what the freeze changed that an unfreeze must undo: the reserve LTV (moved to pending unless it was 0
  /// already) and the asset's LTV-zero bit in `categoryId` (set unless it was set already). Other categories where
  /// the asset is collateral also get their LTV-zero bit from Aave; they are left to governance.
  function freeze(
    IPool pool,
    IPoolConfigurator configurator,
    address asset,
    uint8 categoryId,
    uint16 id
  ) internal returns (bool ok, bytes memory reason, bool restoreReserveLtv, bool restoreEModeLtv) {
    restoreReserveLtv = _config(pool, asset).getLtv() != 0;
    if (categoryId != 0) {
      restoreEModeLtv = !EModeConfiguration.isReserveEnabledOnBitmap(pool.getEModeCategoryLtvzeroBitmap(categoryId), id);
    }
    (ok, reason) = _setFrozen(configurator, asset, true);
  }

  /// @notice Unfreezes the reserve (the caller checked it is frozen) and undoes what the module's freeze did: the
  /// reserve LTV comes back from pending (the value the module last wrote while frozen) and the asset's LTV-zero bit
  /// in `categoryId` is cleared, each only if the freeze set it and it is still set. `ok` is the unfreeze itself;
  /// `reason` the first refusal (unfreeze or restore).
  function unfreeze(
    IPool pool,
    IPoolConfigurator configurator,
    address asset,
    uint8 categoryId,
    uint16 id,
    bool restoreReserveLtv,
    bool restoreEModeLtv
  ) internal returns (bool ok, bytes memory reason) {
    (ok, reason) = _setFrozen(configurator, asset, false);
    if (!ok) return (ok, reason);
    if (restoreReserveLtv && configurator.getPendingLtv(asset) != 0 && _config(pool, asset).getLtv() == 0) {
      try configurator.setReserveLtvzero(asset, false) {} catch (bytes memory r) {
        reason = r;
      }
    }
    if (
      restoreEModeLtv &&
      categoryId != 0 &&
      EModeConfiguration.isReserveEnabledOnBitmap(pool.getEModeCategoryLtvzeroBitmap(categoryId), id)
    ) {
      try configurator.setAssetLtvzeroInEMode(asset, categoryId, false) {} catch (bytes memory r) {
        if (reason.length == 0) reason = r;
      }
    }
  }
}
