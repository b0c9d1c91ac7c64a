// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
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
contract WideningHaircutModule is IWideningHaircutModule, AccessControlDefaultAdminRules {
  using ReserveConfiguration for DataTypes.ReserveConfigurationMap;

  /// @notice Delay of a DEFAULT_ADMIN_ROLE transfer (two steps: `beginDefaultAdminTransfer` by the admin, then
  /// `acceptDefaultAdminTransfer` by the new admin once the delay has passed; OpenZeppelin
  /// `AccessControlDefaultAdminRules`). The admin may change it, itself with a delay.
  uint48 public constant ADMIN_TRANSFER_DELAY = 1 days;
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
  /// @dev HaircutState packed by hand into one word (see `_packState`): one SLOAD and one SSTORE per poke instead
  /// of one read-modify-write per field.
  mapping(address asset => uint256) private _stateWords;
  address[] private _assets;
  mapping(uint8 categoryId => address asset) private _eModeDrivers;
  mapping(address asset => FreezeRecord) private _freezeRecords;
  /// @dev v3.2+: the reserve's index in Aave's eMode bitmaps, read at configuration (Aave's getReserveData is costly).
  mapping(address asset => uint16) private _reserveIds;

  /// @param provider Aave addresses provider.
  /// @param oracle The risk oracle.
  /// @param governance Receives DEFAULT_ADMIN_ROLE.
  constructor(
    IPoolAddressesProvider provider,
    ICollateralRiskOracle oracle,
    address governance
  ) AccessControlDefaultAdminRules(ADMIN_TRANSFER_DELAY, governance) {
    _addressesProvider = provider;
    ORACLE = oracle;
    POOL = IPool(provider.getPool());
    CONFIGURATOR = IPoolConfigurator(provider.getPoolConfigurator());
    // Read once: the configuration surface of this Pool (v3.2+ answers `getEModeCategoryCollateralConfig`).
    AAVE_GENERATION = AaveV32ConfigAdapter.detect(address(POOL)) ? AaveGeneration.V3_2 : AaveGeneration.V3_0;
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
    HaircutConfig memory old = _configs[asset];
    bool known = old.baseLtBps != 0;
    if (c.eModeCategoryId != 0) {
      address driver = _eModeDrivers[c.eModeCategoryId];
      if (driver != address(0) && driver != asset) revert HaircutEModeCategoryTaken(c.eModeCategoryId, driver);
    }
    HaircutState memory prev = _unpackState(_stateWords[asset]);
    HaircutState memory s;
    // The state starts from what is on-chain now: nothing is written, so configuring never moves a value at once.
    // A field keeps the new base as ceiling only where the module itself set the on-chain value (a haircut in
    // force recovers to the new base); elsewhere the on-chain value (governance's) caps it.
    if (AAVE_GENERATION == AaveGeneration.V3_2) {
      _reserveIds[asset] = AaveV32ConfigAdapter.reserveId(IPoolV32(address(POOL)), asset);
    }
    (uint256 onLtv, uint256 onLt, , ) = _readReserve(asset);
    s.ltvBps = uint16(onLtv);
    s.ltBps = uint16(onLt);
    s.ltvCeilingBps = uint16(known && s.ltvBps == prev.ltvBps ? c.baseLtvBps : _min(c.baseLtvBps, s.ltvBps));
    s.ltCeilingBps = uint16(known && s.ltBps == prev.ltBps ? c.baseLtBps : _min(c.baseLtBps, s.ltBps));
    if (c.eModeCategoryId != 0) {
      DataTypes.EModeCategory memory cat = POOL.getEModeCategoryData(c.eModeCategoryId);
      s.eModeLtvBps = cat.ltv;
      s.eModeLtBps = cat.liquidationThreshold;
      bool sameCategory = known && old.eModeCategoryId == c.eModeCategoryId;
      s.eModeLtvCeilingBps = uint16(
        sameCategory && cat.ltv == prev.eModeLtvBps ? c.eModeBaseLtvBps : _min(c.eModeBaseLtvBps, cat.ltv)
      );
      s.eModeLtCeilingBps = uint16(
        sameCategory && cat.liquidationThreshold == prev.eModeLtBps
          ? c.eModeBaseLtBps
          : _min(c.eModeBaseLtBps, cat.liquidationThreshold)
      );
    }
    s.belowRecoveryBandSince = prev.belowRecoveryBandSince;
    s.frozenByModule = prev.frozenByModule;
    // A dedication holds for the same category only, and only while still true. On liquid eMode (v3.2+) a category
    // whose only collateral is this asset is its own: dedicated from configuration (checked again before each cut).
    if (AAVE_GENERATION == AaveGeneration.V3_2 && c.eModeCategoryId != 0) {
      s.eModeDedicated = _otherMember(c.eModeCategoryId, asset) == address(0);
    } else if (prev.eModeDedicated && known && old.eModeCategoryId == c.eModeCategoryId) {
      address member = _otherMember(c.eModeCategoryId, asset);
      if (member != address(0)) revert HaircutEModeCategoryShared(c.eModeCategoryId, member);
      s.eModeDedicated = true;
    }
    if (!known) _assets.push(asset);
    if (known && old.eModeCategoryId != 0 && old.eModeCategoryId != c.eModeCategoryId) {
      delete _eModeDrivers[old.eModeCategoryId];
    }
    if (c.eModeCategoryId != 0) _eModeDrivers[c.eModeCategoryId] = asset;
    _configs[asset] = c;
    _stateWords[asset] = _packState(s);
    emit HaircutConfigured(asset, c);
  }

  /// @inheritdoc IWideningHaircutModule
  function setEModeDedicated(address asset, bool dedicated) external onlyRole(DEFAULT_ADMIN_ROLE) {
    uint8 id = _configs[asset].eModeCategoryId;
    if (_configs[asset].baseLtBps == 0) revert HaircutUnknownAsset(asset);
    if (id == 0) revert HaircutInvalidConfig(asset, "eModeCategoryId");
    if (dedicated) {
      address member = _otherMember(id, asset);
      if (member != address(0)) revert HaircutEModeCategoryShared(id, member);
    }
    HaircutState memory st = _unpackState(_stateWords[asset]);
    st.eModeDedicated = dedicated;
    _stateWords[asset] = _packState(st);
    emit EModeDedicationUpdated(asset, id, dedicated);
  }

  /// @inheritdoc IWideningHaircutModule
  function removeAsset(address asset) external onlyRole(DEFAULT_ADMIN_ROLE) {
    HaircutConfig memory c = _configs[asset];
    if (c.baseLtBps == 0) revert HaircutUnknownAsset(asset);
    bool frozen = _unpackState(_stateWords[asset]).frozenByModule;
    if (c.eModeCategoryId != 0 && _eModeDrivers[c.eModeCategoryId] == asset) delete _eModeDrivers[c.eModeCategoryId];
    delete _configs[asset];
    delete _stateWords[asset];
    uint256 n = _assets.length;
    for (uint256 i = 0; i < n; ++i) {
      if (_assets[i] == asset) {
        _assets[i] = _assets[n - 1];
        _assets.pop();
        break;
      }
    }
    emit HaircutAssetRemoved(asset, frozen);
  }

  // ---------------------------------------------------------------- poke

  /// @inheritdoc IWideningHaircutModule
  function poke(address asset) external returns (HaircutState memory next) {
    HaircutConfig memory c = _configs[asset];
    if (c.baseLtBps == 0) revert HaircutUnknownAsset(asset);
    ICollateralRiskOracle.HaircutInputs memory o = ORACLE.pokeForHaircut(asset);
    uint256 prevWord = _stateWords[asset];
    next = _unpackState(prevWord);
    HaircutTarget memory t = _target(c, next, o);
    bool impaired = o.level == ICollateralRiskOracle.RiskLevel.IMPAIRED;
    // The values the module last wrote into Aave (the step changes `next` in place; compared below).
    (uint256 ltvBps, uint256 ltBps, uint256 eModeLtvBps, uint256 eModeLtBps) = (
      next.ltvBps,
      next.ltBps,
      next.eModeLtvBps,
      next.eModeLtBps
    );
    bool frozenByModule = next.frozenByModule;
    // A discount carried over from a stale market feed never counts as calm (no recovery on an old reading).
    _step(c, next, t, o.marketStale ? BPS : o.discountBps, impaired);

    // Writes into Aave only what changed. Each write first compares the on-chain values with the module's record
    // (adopting governance's changes) and never raises a field above what is on-chain unless the module set it.
    // A refused write is reported, never a revert: the reserve cut and the freeze do not depend on the eMode write.
    if (next.ltvBps != ltvBps || next.ltBps != ltBps) _writeReserve(asset, c, ltvBps, ltBps, next);
    if (c.eModeCategoryId != 0 && (next.eModeLtvBps != eModeLtvBps || next.eModeLtBps != eModeLtBps)) {
      _writeEMode(asset, c, eModeLtvBps, eModeLtBps, next);
    }
    if (impaired && c.freezeOnImpaired && !frozenByModule) {
      // Never take over a freeze governance set: only a reserve we froze is ours to unfreeze.
      if (!POOL.getConfiguration(asset).getFrozen()) {
        (bool ok, bytes memory reason) = _freeze(asset, c.eModeCategoryId);
        if (ok) {
          next.frozenByModule = true;
          emit ReserveFreezeUpdated(asset, true);
        } else {
          emit HaircutWriteRefused(asset, 0, reason);
        }
      }
    } else if (frozenByModule && !impaired && _recoveryOpen(c, next)) {
      // Governance may have unfrozen it meanwhile (v3.6 refuses a no-op unfreeze): then nothing is ours to undo.
      (bool ok, bytes memory reason) = POOL.getConfiguration(asset).getFrozen()
        ? _unfreeze(asset, c.eModeCategoryId)
        : (true, bytes(""));
      if (ok) {
        next.frozenByModule = false;
        delete _freezeRecords[asset];
        emit ReserveFreezeUpdated(asset, false);
      }
      if (reason.length != 0) emit HaircutWriteRefused(asset, 0, reason);
    }
    uint256 word = _packState(next);
    if (word != prevWord) _stateWords[asset] = word;
  }

  // ---------------------------------------------------------------- views

  /// @inheritdoc IWideningHaircutModule
  function previewTarget(address asset) external view returns (HaircutTarget memory) {
    HaircutConfig memory c = _configs[asset];
    if (c.baseLtBps == 0) revert HaircutUnknownAsset(asset);
    (ICollateralRiskOracle.ModelParams memory p, ) = ORACLE.getModelParams(asset);
    ICollateralRiskOracle.AssetState memory st = ORACLE.getAssetState(asset);
    ICollateralRiskOracle.HaircutInputs memory o = ICollateralRiskOracle.HaircutInputs({
      discountBps: st.discountBps,
      emaDiscountBps: st.emaDiscountBps,
      navDropBps: st.navDropBps,
      level: st.level,
      marketStale: st.marketStale,
      navDropHaircutMultiplierBps: p.navDropHaircutMultiplierBps,
      knots: [
        p.knot0DiscountBps,
        p.knot0HaircutBps,
        p.knot1DiscountBps,
        p.knot1HaircutBps,
        p.knot2DiscountBps,
        p.knot2HaircutBps,
        p.knot3DiscountBps,
        p.knot3HaircutBps
      ]
    });
    return _target(c, _unpackState(_stateWords[asset]), o);
  }

  /// @inheritdoc IWideningHaircutModule
  function getHaircutConfig(address asset) external view returns (HaircutConfig memory) {
    return _configs[asset];
  }

  /// @inheritdoc IWideningHaircutModule
  function getHaircutState(address asset) external view returns (HaircutState memory) {
    return _unpackState(_stateWords[asset]);
  }

  /// @inheritdoc IWideningHaircutModule
  function getAssets() external view returns (address[] memory) {
    return _assets;
  }

  /// @inheritdoc IWideningHaircutModule
  function eModeDriver(uint8 categoryId) external view returns (address) {
    return _eModeDrivers[categoryId];
  }

  // ---------------------------------------------------------------- internal: math

  /// @dev LTV haircut from max(spot, EMA) discount, LT haircut from the EMA (persistence), both plus
  /// ceil(navDrop * multiplier); targets = base - haircut within [floor, base], then capped by the field's ceiling;
  /// IMPAIRED sends LTV to its floor; LTV target capped at the LT target. A shared eMode category keeps its LT
  /// (target = current value): only its LTV is cut.
  function _target(
    HaircutConfig memory c,
    HaircutState memory s,
    ICollateralRiskOracle.HaircutInputs memory o
  ) private pure returns (HaircutTarget memory t) {
    uint256 spotOrEma = o.discountBps > o.emaDiscountBps ? o.discountBps : o.emaDiscountBps;
    uint256 ltH = RiskMath.totalHaircutBps(o.emaDiscountBps, o.navDropBps, o.navDropHaircutMultiplierBps, o.knots);
    // The spot discount below its EMA: the LTV haircut is the LT's (the same curve at the same point).
    uint256 ltvH = spotOrEma == o.emaDiscountBps
      ? ltH
      : RiskMath.totalHaircutBps(spotOrEma, o.navDropBps, o.navDropHaircutMultiplierBps, o.knots);
    bool impaired = o.level == ICollateralRiskOracle.RiskLevel.IMPAIRED;
    // All values are <= 1e4 (haircuts capped, bases validated), so the uint16 casts are exact.
    t.ltvHaircutBps = uint16(ltvH);
    t.ltHaircutBps = uint16(ltH);
    t.targetLtBps = uint16(_min(RiskMath.applyHaircut(c.baseLtBps, ltH, c.floorLtBps), s.ltCeilingBps));
    t.targetLtvBps = uint16(
      _min(impaired ? c.floorLtvBps : RiskMath.applyHaircut(c.baseLtvBps, ltvH, c.floorLtvBps), s.ltvCeilingBps)
    );
    if (t.targetLtvBps > t.targetLtBps) t.targetLtvBps = t.targetLtBps;
    if (c.eModeCategoryId != 0) {
      t.targetEModeLtBps = s.eModeDedicated
        ? uint16(_min(RiskMath.applyHaircut(c.eModeBaseLtBps, ltH, c.eModeFloorLtBps), s.eModeLtCeilingBps))
        : s.eModeLtBps;
      t.targetEModeLtvBps = uint16(
        _min(
          impaired ? c.eModeFloorLtvBps : RiskMath.applyHaircut(c.eModeBaseLtvBps, ltvH, c.eModeFloorLtvBps),
          s.eModeLtvCeilingBps
        )
      );
      if (t.targetEModeLtvBps > t.targetEModeLtBps) t.targetEModeLtvBps = t.targetEModeLtBps;
    }
  }

  /// @dev One step of the asymmetric state machine (pure apart from block.timestamp), applied to `n` in place.
  /// LTV cuts apply at once; LT cuts move at most ltRampBpsPerHour since the ramp clock; increases start only once
  /// the recovery cooldown has run and no LT cut is pending, then move at most recoveryBpsPerHour. The clock is
  /// advanced by the seconds the steps consumed (so no fraction is lost) and is 0 when nothing is pending.
  function _step(
    HaircutConfig memory c,
    HaircutState memory n,
    HaircutTarget memory t,
    uint256 discountBps,
    bool impaired
  ) private view {
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
      return;
    }
    if (n.rampClockAt == 0) {
      n.rampClockAt = uint40(nowTs);
      return;
    }
    (uint256 stepBps, uint256 consumed) = RiskMath.rampStep(
      nowTs - n.rampClockAt,
      down ? c.ltRampBpsPerHour : c.recoveryBpsPerHour
    );
    if (stepBps == 0) return;
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

  /// @dev ltvBps | ltBps << 16 | eModeLtvBps << 32 | eModeLtBps << 48 | rampClockAt << 64 |
  ///      belowRecoveryBandSince << 104 | frozenByModule << 144 | ltvCeilingBps << 152 | ltCeilingBps << 168 |
  ///      eModeLtvCeilingBps << 184 | eModeLtCeilingBps << 200 | eModeDedicated << 216
  function _packState(HaircutState memory s) private pure returns (uint256 w) {
    w =
      uint256(s.ltvBps) |
      (uint256(s.ltBps) << 16) |
      (uint256(s.eModeLtvBps) << 32) |
      (uint256(s.eModeLtBps) << 48) |
      (uint256(s.rampClockAt) << 64) |
      (uint256(s.belowRecoveryBandSince) << 104) |
      (s.frozenByModule ? uint256(1) << 144 : 0) |
      (uint256(s.ltvCeilingBps) << 152) |
      (uint256(s.ltCeilingBps) << 168) |
      (uint256(s.eModeLtvCeilingBps) << 184) |
      (uint256(s.eModeLtCeilingBps) << 200) |
      (s.eModeDedicated ? uint256(1) << 216 : 0);
  }

  /// @dev Inverse of `_packState`.
  function _unpackState(uint256 w) private pure returns (HaircutState memory s) {
    s.ltvBps = uint16(w);
    s.ltBps = uint16(w >> 16);
    s.eModeLtvBps = uint16(w >> 32);
    s.eModeLtBps = uint16(w >> 48);
    s.rampClockAt = uint40(w >> 64);
    s.belowRecoveryBandSince = uint40(w >> 104);
    s.frozenByModule = (w >> 144) & 1 == 1;
    s.ltvCeilingBps = uint16(w >> 152);
    s.ltCeilingBps = uint16(w >> 168);
    s.eModeLtvCeilingBps = uint16(w >> 184);
    s.eModeLtCeilingBps = uint16(w >> 200);
    s.eModeDedicated = (w >> 216) & 1 == 1;
  }

  function _min(uint256 a, uint256 b) private pure returns (uint256) {
    return a < b ? a : b;
  }

  // ---------------------------------------------------------------- internal: Aave

  /// @dev Writes the reserve's next LTV/LT (`n`, lowered in place when needed). First the on-chain values: a field
  /// that differs from the module's record (`recLtvBps`, `recLtBps`: what it last wrote) was set by governance: it
  /// is adopted as the field's ceiling and `n` never goes above it. The on-chain bonus is written back unchanged. A
  /// refused write leaves `n` at the on-chain values and emits HaircutWriteRefused.
  function _writeReserve(
    address asset,
    HaircutConfig memory c,
    uint256 recLtvBps,
    uint256 recLtBps,
    HaircutState memory n
  ) private {
    (uint256 onLtv, uint256 onLt, uint256 onLb, ) = _readReserve(asset);
    if (onLtv != recLtvBps || onLt != recLtBps) {
      emit GovernanceValueAdopted(asset, 0, recLtvBps, onLtv, recLtBps, onLt);
      if (onLtv != recLtvBps) {
        n.ltvCeilingBps = uint16(_min(c.baseLtvBps, onLtv));
        if (n.ltvBps > onLtv) n.ltvBps = uint16(onLtv);
      }
      if (onLt != recLtBps) {
        // The LT stays where governance put it this poke: a cut from there ramps (never an LT jump), a rise never.
        n.ltCeilingBps = uint16(_min(c.baseLtBps, onLt));
        n.ltBps = uint16(onLt);
      }
      if (n.ltvBps > n.ltBps) n.ltvBps = n.ltBps;
    }
    if (n.ltvBps == onLtv && n.ltBps == onLt) return;
    try CONFIGURATOR.configureReserveAsCollateral(asset, n.ltvBps, n.ltBps, onLb) {
      emit HaircutUpdated(asset, onLtv, n.ltvBps, onLt, n.ltBps);
    } catch (bytes memory reason) {
      n.ltvBps = uint16(onLtv);
      n.ltBps = uint16(onLt);
      emit HaircutWriteRefused(asset, 0, reason);
    }
  }

  /// @dev The same for the eMode category, keeping its bonus, price source and label. A category LT cut needs the
  /// category dedicated to this asset, checked again here (governance may have added a member since).
  function _writeEMode(
    address asset,
    HaircutConfig memory c,
    uint256 recLtvBps,
    uint256 recLtBps,
    HaircutState memory n
  ) private {
    uint8 id = c.eModeCategoryId;
    DataTypes.EModeCategory memory cat = POOL.getEModeCategoryData(id);
    uint256 onLtv = cat.ltv;
    uint256 onLt = cat.liquidationThreshold;
    if (onLtv != recLtvBps || onLt != recLtBps) {
      emit GovernanceValueAdopted(asset, id, recLtvBps, onLtv, recLtBps, onLt);
      if (onLtv != recLtvBps) {
        n.eModeLtvCeilingBps = uint16(_min(c.eModeBaseLtvBps, onLtv));
        if (n.eModeLtvBps > onLtv) n.eModeLtvBps = uint16(onLtv);
      }
      if (onLt != recLtBps) {
        n.eModeLtCeilingBps = uint16(_min(c.eModeBaseLtBps, onLt));
        n.eModeLtBps = uint16(onLt);
      }
    }
    if (n.eModeLtBps < onLt) {
      // A shared category's LT is never cut (its target is its current value; this only guards the invariant).
      address member = n.eModeDedicated ? _otherMember(id, asset) : asset;
      if (member != address(0)) {
        n.eModeLtBps = uint16(onLt);
        if (member != asset) emit EModeLtCutSkipped(id, member);
      }
    }
    if (n.eModeLtvBps > n.eModeLtBps) n.eModeLtvBps = n.eModeLtBps;
    if (n.eModeLtvBps == onLtv && n.eModeLtBps == onLt) return;
    (bool ok, bytes memory reason) = AAVE_GENERATION == AaveGeneration.V3_2
      ? AaveV32ConfigAdapter.writeEMode(
        IPoolConfiguratorV32(address(CONFIGURATOR)),
        id,
        n.eModeLtvBps,
        n.eModeLtBps,
        cat.liquidationBonus,
        cat.label
      )
      : AaveV30ConfigAdapter.writeEMode(
        CONFIGURATOR,
        id,
        n.eModeLtvBps,
        n.eModeLtBps,
        cat.liquidationBonus,
        cat.priceSource,
        cat.label
      );
    if (ok) {
      emit EModeHaircutUpdated(id, onLtv, n.eModeLtvBps, onLt, n.eModeLtBps);
    } else {
      n.eModeLtvBps = uint16(onLtv);
      n.eModeLtBps = uint16(onLt);
      emit HaircutWriteRefused(asset, id, reason);
    }
  }

  /// @dev The reserve's LTV/LT/bonus and frozen flag through this generation's adapter (v3.6: the pending LTV while
  /// frozen).
  function _readReserve(address asset) private view returns (uint256 ltvBps, uint256 ltBps, uint256 lbBps, bool frozen) {
    return
      AAVE_GENERATION == AaveGeneration.V3_2
        ? AaveV32ConfigAdapter.readReserve(IPoolV32(address(POOL)), IPoolConfiguratorV32(address(CONFIGURATOR)), asset)
        : AaveV30ConfigAdapter.readReserve(POOL, asset);
  }

  /// @dev Freezes the reserve through this generation's adapter and keeps what the unfreeze must undo.
  function _freeze(address asset, uint8 categoryId) private returns (bool ok, bytes memory reason) {
    if (AAVE_GENERATION == AaveGeneration.V3_0) return AaveV30ConfigAdapter.setFrozen(CONFIGURATOR, asset, true);
    bool restoreReserveLtv;
    bool restoreEModeLtv;
    (ok, reason, restoreReserveLtv, restoreEModeLtv) = AaveV32ConfigAdapter.freeze(
      IPoolV32(address(POOL)),
      IPoolConfiguratorV32(address(CONFIGURATOR)),
      asset,
      categoryId,
      _reserveIds[asset]
    );
    if (ok) _freezeRecords[asset] = FreezeRecord(restoreReserveLtv, restoreEModeLtv);
  }

  /// @dev Unfreezes the reserve through this generation's adapter, undoing what the module's freeze changed.
  function _unfreeze(address asset, uint8 categoryId) private returns (bool ok, bytes memory reason) {
    if (AAVE_GENERATION == AaveGeneration.V3_0) return AaveV30ConfigAdapter.setFrozen(CONFIGURATOR, asset, false);
    FreezeRecord memory r = _freezeRecords[asset];
    return
      AaveV32ConfigAdapter.unfreeze(
        IPoolV32(address(POOL)),
        IPoolConfiguratorV32(address(CONFIGURATOR)),
        asset,
        categoryId,
        _reserveIds[asset],
        r.restoreReserveLtv,
        r.restoreEModeLtv
      );
  }

  /// @dev Whether `asset` is collateral in eMode `categoryId` on this Pool.
  function _isEModeCollateral(address asset, uint8 categoryId) private view returns (bool) {
    return
      AAVE_GENERATION == AaveGeneration.V3_2
        ? AaveV32ConfigAdapter.isEModeCollateral(
          IPoolV32(address(POOL)),
          AaveV32ConfigAdapter.reserveId(IPoolV32(address(POOL)), asset),
          categoryId
        )
        : AaveV30ConfigAdapter.isEModeCollateral(POOL, asset, categoryId);
  }

  /// @dev A reserve other than `asset` in eMode category `id` (address(0) = none): v3.0 scans the pool's reserves,
  /// v3.2+ reads the category's collateral bitmap.
  function _otherMember(uint8 id, address asset) private view returns (address) {
    return
      AAVE_GENERATION == AaveGeneration.V3_2
        ? AaveV32ConfigAdapter.otherCollateral(IPoolV32(address(POOL)), _reserveIds[asset], id)
        : AaveV30ConfigAdapter.otherMember(POOL, asset, id);
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
    if (c.baseLtvBps > c.baseLtBps) revert HaircutInvalidConfig(asset, "baseLtvBps");
    if (c.baseLtvBps == 0) {
      // A reserve governance offboarded (LTV 0 on-chain, e.g. rsETH and ezETH on Aave v3.6) is configured with base
      // and floor LTV 0: every LTV target is then 0, so its LTV stays 0 (never raised, never written elsewhere) while
      // its LT, its eMode category and the IMPAIRED freeze stay managed. Only where the LTV is 0 already: the module
      // never moves a non-zero LTV to 0 (LTV 0 locks a user's other collateral).
      (uint256 onLtv, , , ) = _readReserve(asset);
      if (c.floorLtvBps != 0 || onLtv != 0) revert HaircutInvalidConfig(asset, "baseLtvBps");
    } else if (c.floorLtvBps == 0 || c.floorLtvBps > c.baseLtvBps) {
      revert HaircutInvalidConfig(asset, "floorLtvBps");
    }
    if (c.liquidationBonusBps <= BPS || _percentMul(c.baseLtBps, c.liquidationBonusBps) > BPS) {
      revert HaircutInvalidConfig(asset, "liquidationBonusBps");
    }
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
    // such rule (a category's values are independent of the members' reserve values).
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
