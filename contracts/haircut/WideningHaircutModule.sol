// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IPool} from "@aave/core-v3/contracts/interfaces/IPool.sol";
import {IPoolConfigurator} from "@aave/core-v3/contracts/interfaces/IPoolConfigurator.sol";
import {IPoolAddressesProvider} from "@aave/core-v3/contracts/interfaces/IPoolAddressesProvider.sol";
import {DataTypes} from "@aave/core-v3/contracts/protocol/libraries/types/DataTypes.sol";
import {ReserveConfiguration} from "@aave/core-v3/contracts/protocol/libraries/configuration/ReserveConfiguration.sol";
import {IPool as IPoolV32} from "@aave-dao/aave-v3-origin/src/contracts/interfaces/IPool.sol";
import {IPoolConfigurator as IPoolConfiguratorV32} from "@aave-dao/aave-v3-origin/src/contracts/interfaces/IPoolConfigurator.sol";
import {AaveV30ConfigAdapter} from "./aave/AaveV30ConfigAdapter.sol";
import {AaveV32ConfigAdapter} from "./aave/AaveV32ConfigAdapter.sol";
import {IWideningHaircutModule} from "../interfaces/IWideningHaircutModule.sol";
import {ICollateralRiskOracle} from "../interfaces/ICollateralRiskOracle.sol";
import {RiskMath} from "../libraries/RiskMath.sol";

/// @title WideningHaircutModule
/// @notice Widens an LRT's Aave v3 collateral haircut with its discount, persistence and NAV drop; LTV cuts at
/// once, LT cuts ramp, recovery is slow and only after a calm cooldown.
/// @dev See `IWideningHaircutModule`. Holds RISK_ADMIN on the Aave ACL manager.
contract WideningHaircutModule is IWideningHaircutModule, AccessControl {
  using ReserveConfiguration for DataTypes.ReserveConfigurationMap;

  uint256 private constant BPS = 1e4;

  IPoolAddressesProvider private immutable _addressesProvider;
  /// @inheritdoc IWideningHaircutModule
  ICollateralRiskOracle public immutable ORACLE;
  /// @inheritdoc IWideningHaircutModule
  IPool public immutable POOL;
  /// @inheritdoc IWideningHaircutModule
  IPoolConfigurator public immutable CONFIGURATOR;
  /// @inheritdoc IWideningHaircutModule
  AaveGeneration public immutable AAVE_GENERATION;

  mapping(address asset => HaircutConfig) private _configs;
  mapping(address asset => HaircutState) private _states;
  address[] private _assets;
  mapping(address asset => FreezeRecord) private _freezeRecords;
  /// @dev v3.2+: the reserve's index in Aave's eMode bitmaps, read at configuration (Aave's getReserveData is costly).
  mapping(address asset => uint16) private _reserveIds;

  /// @param provider Aave addresses provider.
  /// @param oracle The risk oracle.
  /// @param governance Receives DEFAULT_ADMIN_ROLE.
  constructor(IPoolAddressesProvider provider, ICollateralRiskOracle oracle, address governance) {
    _addressesProvider = provider;
    ORACLE = oracle;
    POOL = IPool(provider.getPool());
    CONFIGURATOR = IPoolConfigurator(provider.getPoolConfigurator());
    // Read once: the configuration surface of this Pool (v3.2+ answers `getEModeCategoryCollateralConfig`).
    AAVE_GENERATION = AaveV32ConfigAdapter.detect(address(POOL)) ? AaveGeneration.V3_2 : AaveGeneration.V3_0;
    _grantRole(DEFAULT_ADMIN_ROLE, governance);
    emit AaveGenerationDetected(address(POOL), AAVE_GENERATION);
  }

  /// @inheritdoc IWideningHaircutModule
  function ADDRESSES_PROVIDER() external view returns (IPoolAddressesProvider) {
    return _addressesProvider;
  }

  // ---------------------------------------------------------------- governance

  /// @inheritdoc IWideningHaircutModule
  function configureAsset(address asset, HaircutConfig calldata c) external onlyRole(DEFAULT_ADMIN_ROLE) {
    _validateConfig(asset, c);
    HaircutState memory s = _states[asset];
    bool known = _configs[asset].baseLtBps != 0;
    if (!known) {
      _assets.push(asset);
      s = HaircutState(c.baseLtvBps, c.baseLtBps, c.eModeBaseLtvBps, c.eModeBaseLtBps, 0, 0, false);
    } else {
      // Reconfiguration keeps a haircut in force, clamped into the new [floor, base] ranges.
      s.ltvBps = uint16(_clamp(s.ltvBps, c.floorLtvBps, c.baseLtvBps));
      s.ltBps = uint16(_clamp(s.ltBps, c.floorLtBps, c.baseLtBps));
      s.eModeLtvBps = c.eModeCategoryId == 0 ? 0 : uint16(_clamp(s.eModeLtvBps, c.eModeFloorLtvBps, c.eModeBaseLtvBps));
      s.eModeLtBps = c.eModeCategoryId == 0 ? 0 : uint16(_clamp(s.eModeLtBps, c.eModeFloorLtBps, c.eModeBaseLtBps));
      if (s.ltvBps > s.ltBps) s.ltvBps = s.ltBps;
      if (s.eModeLtvBps > s.eModeLtBps) s.eModeLtvBps = s.eModeLtBps;
      s.rampClockAt = 0;
    }
    _configs[asset] = c;
    if (AAVE_GENERATION == AaveGeneration.V3_2) {
      _reserveIds[asset] = AaveV32ConfigAdapter.reserveId(IPoolV32(address(POOL)), asset);
    }
    _states[asset] = s;
    emit HaircutConfigured(asset, c);
    CONFIGURATOR.configureReserveAsCollateral(asset, s.ltvBps, s.ltBps, c.liquidationBonusBps);
    if (c.eModeCategoryId != 0) _writeEMode(c, s.eModeLtvBps, s.eModeLtBps);
  }

  // ---------------------------------------------------------------- poke

  /// @inheritdoc IWideningHaircutModule
  function poke(address asset) external returns (HaircutState memory next) {
    HaircutConfig memory c = _configs[asset];
    if (c.baseLtBps == 0) revert HaircutUnknownAsset(asset);
    (ICollateralRiskOracle.AssetState memory o, ICollateralRiskOracle.ModelParams memory p, ) = ORACLE.pokeWithParams(
      asset
    );
    HaircutTarget memory t = _target(c, o, p);
    HaircutState memory prev = _states[asset];
    // On liquid eMode a category's LT reaches every collateral in it: cut it only while this LRT is its sole
    // collateral (its own category); otherwise hold the LT (the LTV cut, which liquidates nobody, still applies).
    if (
      AAVE_GENERATION == AaveGeneration.V3_2 &&
      t.targetEModeLtBps < prev.eModeLtBps &&
      !AaveV32ConfigAdapter.isSoleEModeCollateral(IPoolV32(address(POOL)), _reserveIds[asset], c.eModeCategoryId)
    ) {
      t.targetEModeLtBps = prev.eModeLtBps;
      if (t.targetEModeLtvBps > t.targetEModeLtBps) t.targetEModeLtvBps = t.targetEModeLtBps;
    }
    bool impaired = o.level == ICollateralRiskOracle.RiskLevel.IMPAIRED;
    // A discount carried over from a stale market feed never counts as calm (no recovery on an old reading).
    next = _step(c, prev, t, o.marketStale ? BPS : o.discountBps, impaired);

    // Writes into Aave only what changed; the reserve (and category) values obey Aave's checks by construction.
    if (next.ltvBps != prev.ltvBps || next.ltBps != prev.ltBps) {
      CONFIGURATOR.configureReserveAsCollateral(asset, next.ltvBps, next.ltBps, c.liquidationBonusBps);
      emit HaircutUpdated(asset, prev.ltvBps, next.ltvBps, prev.ltBps, next.ltBps);
    }
    if (c.eModeCategoryId != 0 && (next.eModeLtvBps != prev.eModeLtvBps || next.eModeLtBps != prev.eModeLtBps)) {
      _writeEMode(c, next.eModeLtvBps, next.eModeLtBps);
      emit EModeHaircutUpdated(c.eModeCategoryId, prev.eModeLtvBps, next.eModeLtvBps, prev.eModeLtBps, next.eModeLtBps);
    }
    if (impaired && c.freezeOnImpaired && !prev.frozenByModule) {
      // Never take over a freeze governance set: only a reserve we froze is ours to unfreeze.
      if (!POOL.getConfiguration(asset).getFrozen()) {
        next.frozenByModule = true;
        _freeze(asset, c.eModeCategoryId);
        emit ReserveFreezeUpdated(asset, true);
      }
    } else if (prev.frozenByModule && !impaired && _recoveryOpen(c, next)) {
      next.frozenByModule = false;
      // Governance may have unfrozen it meanwhile (v3.6 refuses a no-op unfreeze): then nothing is ours to undo.
      if (POOL.getConfiguration(asset).getFrozen()) _unfreeze(asset, c.eModeCategoryId);
      delete _freezeRecords[asset];
      emit ReserveFreezeUpdated(asset, false);
    }
    if (_changed(prev, next)) _states[asset] = next;
  }

  // ---------------------------------------------------------------- views

  /// @inheritdoc IWideningHaircutModule
  function previewTarget(address asset) external view returns (HaircutTarget memory) {
    HaircutConfig memory c = _configs[asset];
    if (c.baseLtBps == 0) revert HaircutUnknownAsset(asset);
    (ICollateralRiskOracle.ModelParams memory p, ) = ORACLE.getModelParams(asset);
    return _target(c, ORACLE.getAssetState(asset), p);
  }

  /// @inheritdoc IWideningHaircutModule
  function getHaircutConfig(address asset) external view returns (HaircutConfig memory) {
    return _configs[asset];
  }

  /// @inheritdoc IWideningHaircutModule
  function getHaircutState(address asset) external view returns (HaircutState memory) {
    return _states[asset];
  }

  /// @inheritdoc IWideningHaircutModule
  function getAssets() external view returns (address[] memory) {
    return _assets;
  }

  // ---------------------------------------------------------------- internal: math

  /// @dev LTV haircut from max(spot, EMA) discount, LT haircut from the EMA (persistence), both plus
  /// ceil(navDrop * multiplier); targets = base - haircut within [floor, base]; IMPAIRED sends LTV to its floor;
  /// LTV target capped at the LT target.
  function _target(
    HaircutConfig memory c,
    ICollateralRiskOracle.AssetState memory o,
    ICollateralRiskOracle.ModelParams memory p
  ) private pure returns (HaircutTarget memory t) {
    // The knots are words 3..10 of a ModelParams in memory (knot0DiscountBps .. knot3HaircutBps, each a uint16 in
    // its own word), the very layout of a uint16[8]: read them in place (only read, never written) instead of copying.
    uint16[8] memory k;
    // solhint-disable-next-line no-inline-assembly
    assembly ("memory-safe") {
      k := add(p, 0x60)
    }
    uint256 spotOrEma = o.discountBps > o.emaDiscountBps ? o.discountBps : o.emaDiscountBps;
    uint256 ltvH = RiskMath.totalHaircutBps(spotOrEma, o.navDropBps, p.navDropHaircutMultiplierBps, k);
    uint256 ltH = RiskMath.totalHaircutBps(o.emaDiscountBps, o.navDropBps, p.navDropHaircutMultiplierBps, k);
    bool impaired = o.level == ICollateralRiskOracle.RiskLevel.IMPAIRED;
    // All values are <= 1e4 (haircuts capped, bases validated), so the uint16 casts are exact.
    t.ltvHaircutBps = uint16(ltvH);
    t.ltHaircutBps = uint16(ltH);
    t.targetLtBps = uint16(RiskMath.applyHaircut(c.baseLtBps, ltH, c.floorLtBps));
    t.targetLtvBps = impaired ? c.floorLtvBps : uint16(RiskMath.applyHaircut(c.baseLtvBps, ltvH, c.floorLtvBps));
    if (t.targetLtvBps > t.targetLtBps) t.targetLtvBps = t.targetLtBps;
    if (c.eModeCategoryId != 0) {
      t.targetEModeLtBps = uint16(RiskMath.applyHaircut(c.eModeBaseLtBps, ltH, c.eModeFloorLtBps));
      t.targetEModeLtvBps = impaired
        ? c.eModeFloorLtvBps
        : uint16(RiskMath.applyHaircut(c.eModeBaseLtvBps, ltvH, c.eModeFloorLtvBps));
      if (t.targetEModeLtvBps > t.targetEModeLtBps) t.targetEModeLtvBps = t.targetEModeLtBps;
    }
  }

  /// @dev One step of the asymmetric state machine (pure apart from block.timestamp).
  /// LTV cuts apply at once; LT cuts move at most ltRampBpsPerHour since the ramp clock; increases start only once
  /// the recovery cooldown has run and no LT cut is pending, then move at most recoveryBpsPerHour. The clock is
  /// advanced by the seconds the steps consumed (so no fraction is lost) and is 0 when nothing is pending.
  function _step(
    HaircutConfig memory c,
    HaircutState memory s,
    HaircutTarget memory t,
    uint256 discountBps,
    bool impaired
  ) private view returns (HaircutState memory n) {
    // A fresh copy (`n` is a newly allocated HaircutState): memory structs alias on assignment and the caller
    // compares before/after. mcopy of its 7 words, one field per word.
    // solhint-disable-next-line no-inline-assembly
    assembly ("memory-safe") {
      mcopy(n, s, 0xe0)
    }
    uint256 nowTs = block.timestamp;
    if (discountBps < c.recoveryBandBps && !impaired) {
      if (n.belowRecoveryBandSince == 0) n.belowRecoveryBandSince = uint40(nowTs);
    } else {
      n.belowRecoveryBandSince = 0;
    }
    // LTV cuts at once.
    if (t.targetLtvBps < n.ltvBps) n.ltvBps = t.targetLtvBps;
    if (t.targetEModeLtvBps < n.eModeLtvBps) n.eModeLtvBps = t.targetEModeLtvBps;

    bool down = t.targetLtBps < n.ltBps || t.targetEModeLtBps < n.eModeLtBps;
    bool up = !down &&
      _recoveryOpen(c, n) &&
      (t.targetLtBps > n.ltBps ||
        t.targetLtvBps > n.ltvBps ||
        t.targetEModeLtBps > n.eModeLtBps ||
        t.targetEModeLtvBps > n.eModeLtvBps);
    if (!down && !up) {
      n.rampClockAt = 0;
      return n;
    }
    if (n.rampClockAt == 0) {
      n.rampClockAt = uint40(nowTs);
      return n;
    }
    (uint256 stepBps, uint256 consumed) = RiskMath.rampStep(
      nowTs - n.rampClockAt,
      down ? c.ltRampBpsPerHour : c.recoveryBpsPerHour
    );
    if (stepBps == 0) return n;
    n.rampClockAt += uint40(consumed);
    if (down) {
      if (t.targetLtBps < n.ltBps) n.ltBps = uint16(RiskMath.moveToward(n.ltBps, t.targetLtBps, stepBps));
      if (t.targetEModeLtBps < n.eModeLtBps) {
        n.eModeLtBps = uint16(RiskMath.moveToward(n.eModeLtBps, t.targetEModeLtBps, stepBps));
      }
    } else {
      n.ltBps = uint16(RiskMath.moveToward(n.ltBps, t.targetLtBps, stepBps));
      n.ltvBps = uint16(RiskMath.moveToward(n.ltvBps, t.targetLtvBps, stepBps));
      n.eModeLtBps = uint16(RiskMath.moveToward(n.eModeLtBps, t.targetEModeLtBps, stepBps));
      n.eModeLtvBps = uint16(RiskMath.moveToward(n.eModeLtvBps, t.targetEModeLtvBps, stepBps));
    }
    // Keep LTV <= LT (an LT cut drags the LTV with it).
    if (n.ltvBps > n.ltBps) n.ltvBps = n.ltBps;
    if (n.eModeLtvBps > n.eModeLtBps) n.eModeLtvBps = n.eModeLtBps;
    bool ltDone = n.ltBps == t.targetLtBps && n.eModeLtBps == t.targetEModeLtBps;
    bool ltvDone = n.ltvBps == t.targetLtvBps && n.eModeLtvBps == t.targetEModeLtvBps;
    if (ltDone && (down || ltvDone)) {
      n.rampClockAt = 0;
    }
  }

  function _recoveryOpen(HaircutConfig memory c, HaircutState memory s) private view returns (bool) {
    return s.belowRecoveryBandSince != 0 && block.timestamp >= uint256(s.belowRecoveryBandSince) + c.recoveryCooldownSeconds;
  }

  function _changed(HaircutState memory a, HaircutState memory b) private pure returns (bool) {
    return
      a.ltvBps != b.ltvBps ||
      a.ltBps != b.ltBps ||
      a.eModeLtvBps != b.eModeLtvBps ||
      a.eModeLtBps != b.eModeLtBps ||
      a.rampClockAt != b.rampClockAt ||
      a.belowRecoveryBandSince != b.belowRecoveryBandSince ||
      a.frozenByModule != b.frozenByModule;
  }

  function _clamp(uint256 v, uint256 lo, uint256 hi) private pure returns (uint256) {
    return v < lo ? lo : (v > hi ? hi : v);
  }

  // ---------------------------------------------------------------- internal: Aave

  /// @dev Rewrites the eMode category with new LTV/LT and the configured bonus through the adapter of this Pool's
  /// generation (which keeps Aave's label, and on v3.0 the price source).
  function _writeEMode(HaircutConfig memory c, uint256 ltvBps, uint256 ltBps) private {
    if (AAVE_GENERATION == AaveGeneration.V3_2) {
      AaveV32ConfigAdapter.writeEMode(
        IPoolV32(address(POOL)),
        IPoolConfiguratorV32(address(CONFIGURATOR)),
        c.eModeCategoryId,
        uint16(ltvBps),
        uint16(ltBps),
        c.eModeLiquidationBonusBps
      );
    } else {
      AaveV30ConfigAdapter.writeEMode(
        POOL,
        CONFIGURATOR,
        c.eModeCategoryId,
        uint16(ltvBps),
        uint16(ltBps),
        c.eModeLiquidationBonusBps
      );
    }
  }

  /// @dev Freezes the reserve through this generation's adapter and keeps what the unfreeze must undo.
  function _freeze(address asset, uint8 categoryId) private {
    (bool restoreReserveLtv, bool restoreEModeLtv) = AAVE_GENERATION == AaveGeneration.V3_2
      ? AaveV32ConfigAdapter.freeze(
        IPoolV32(address(POOL)),
        IPoolConfiguratorV32(address(CONFIGURATOR)),
        asset,
        categoryId
      )
      : AaveV30ConfigAdapter.freeze(POOL, CONFIGURATOR, asset, categoryId);
    if (restoreReserveLtv || restoreEModeLtv) _freezeRecords[asset] = FreezeRecord(restoreReserveLtv, restoreEModeLtv);
  }

  /// @dev Unfreezes the reserve through this generation's adapter, undoing what the module's freeze changed.
  function _unfreeze(address asset, uint8 categoryId) private {
    FreezeRecord memory r = _freezeRecords[asset];
    if (AAVE_GENERATION == AaveGeneration.V3_2) {
      AaveV32ConfigAdapter.unfreeze(
        IPoolV32(address(POOL)),
        IPoolConfiguratorV32(address(CONFIGURATOR)),
        asset,
        categoryId,
        r.restoreReserveLtv,
        r.restoreEModeLtv
      );
    } else {
      AaveV30ConfigAdapter.unfreeze(POOL, CONFIGURATOR, asset, categoryId, r.restoreReserveLtv, r.restoreEModeLtv);
    }
  }

  /// @dev Whether `asset` is collateral in eMode `categoryId` on this Pool.
  function _isEModeCollateral(address asset, uint8 categoryId) private view returns (bool) {
    return
      AAVE_GENERATION == AaveGeneration.V3_2
        ? AaveV32ConfigAdapter.isEModeCollateral(IPoolV32(address(POOL)), asset, categoryId)
        : AaveV30ConfigAdapter.isEModeCollateral(POOL, asset, categoryId);
  }

  /// @dev Aave's percentMul (half up): a * b / 1e4 rounded half up.
  function _percentMul(uint256 a, uint256 b) private pure returns (uint256) {
    return (a * b + BPS / 2) / BPS;
  }

  function _validateConfig(address asset, HaircutConfig calldata c) private view {
    if (asset == address(0)) revert HaircutInvalidConfig(asset, "asset");
    if (!POOL.getConfiguration(asset).getActive()) revert HaircutInvalidConfig(asset, "asset");
    if (!ORACLE.isAssetConfigured(asset)) revert HaircutInvalidConfig(asset, "oracle");
    if (c.baseLtBps == 0 || c.baseLtBps >= BPS) revert HaircutInvalidConfig(asset, "baseLtBps");
    if (c.baseLtvBps == 0 || c.baseLtvBps > c.baseLtBps) revert HaircutInvalidConfig(asset, "baseLtvBps");
    if (c.liquidationBonusBps <= BPS || _percentMul(c.baseLtBps, c.liquidationBonusBps) > BPS) {
      revert HaircutInvalidConfig(asset, "liquidationBonusBps");
    }
    if (c.floorLtvBps == 0 || c.floorLtvBps > c.baseLtvBps) revert HaircutInvalidConfig(asset, "floorLtvBps");
    if (c.floorLtBps == 0 || c.floorLtBps > c.baseLtBps || c.floorLtBps < c.floorLtvBps) {
      revert HaircutInvalidConfig(asset, "floorLtBps");
    }
    if (c.ltRampBpsPerHour == 0) revert HaircutInvalidConfig(asset, "ltRampBpsPerHour");
    if (c.recoveryBpsPerHour == 0) revert HaircutInvalidConfig(asset, "recoveryBpsPerHour");
    if (c.recoveryBandBps >= BPS) revert HaircutInvalidConfig(asset, "recoveryBandBps");
    if (c.eModeCategoryId == 0) {
      if (c.eModeBaseLtvBps != 0 || c.eModeBaseLtBps != 0) revert HaircutInvalidConfig(asset, "eModeCategoryId");
      return;
    }
    if (!_isEModeCollateral(asset, c.eModeCategoryId)) revert HaircutInvalidConfig(asset, "eModeCategoryId");
    if (c.eModeBaseLtBps == 0 || c.eModeBaseLtBps >= BPS) revert HaircutInvalidConfig(asset, "eModeBaseLtBps");
    if (c.eModeBaseLtvBps == 0 || c.eModeBaseLtvBps > c.eModeBaseLtBps) {
      revert HaircutInvalidConfig(asset, "eModeBaseLtvBps");
    }
    if (c.eModeLiquidationBonusBps <= BPS || _percentMul(c.eModeBaseLtBps, c.eModeLiquidationBonusBps) > BPS) {
      revert HaircutInvalidConfig(asset, "eModeLiquidationBonusBps");
    }
    if (c.eModeFloorLtvBps == 0 || c.eModeFloorLtvBps > c.eModeBaseLtvBps) {
      revert HaircutInvalidConfig(asset, "eModeFloorLtvBps");
    }
    if (c.eModeFloorLtBps > c.eModeBaseLtBps || c.eModeFloorLtBps < c.eModeFloorLtvBps) {
      revert HaircutInvalidConfig(asset, "eModeFloorLtBps");
    }
    // Aave v3.0.x setEModeCategory: the category LTV/LT must exceed every member reserve's LTV/LT. The module only
    // ever lowers this reserve below its base, so checking the floors against the base here (and against the other
    // members' current values) keeps every later write valid unless governance raises another member. v3.2+ has no
    // such constraint (a category's values are independent of the members' reserve values).
    if (AAVE_GENERATION == AaveGeneration.V3_2) return;
    if (c.eModeFloorLtvBps <= c.baseLtvBps) {
      revert HaircutEModeFloorBelowMember(c.eModeCategoryId, asset, c.baseLtvBps, c.eModeFloorLtvBps);
    }
    if (c.eModeFloorLtBps <= c.baseLtBps) {
      revert HaircutEModeFloorBelowMember(c.eModeCategoryId, asset, c.baseLtBps, c.eModeFloorLtBps);
    }
    (address member, uint256 memberValueBps, uint256 floorBps) = AaveV30ConfigAdapter.memberAtOrAboveFloors(
      POOL,
      asset,
      c.eModeCategoryId,
      c.eModeFloorLtvBps,
      c.eModeFloorLtBps
    );
    if (member != address(0)) revert HaircutEModeFloorBelowMember(c.eModeCategoryId, member, memberValueBps, floorBps);
  }
}
