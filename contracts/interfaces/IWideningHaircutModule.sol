// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IPoolAddressesProvider} from "@aave/core-v3/contracts/interfaces/IPoolAddressesProvider.sol";
import {IPool} from "@aave/core-v3/contracts/interfaces/IPool.sol";
import {IPoolConfigurator} from "@aave/core-v3/contracts/interfaces/IPoolConfigurator.sol";
import {ICollateralRiskOracle} from "./ICollateralRiskOracle.sol";

/// @title IWideningHaircutModule
/// @notice Widens the collateral haircut of an LRT on Aave v3 as its market discount grows, persists, or its NAV
/// drops; narrows it back slowly. Writes through the Aave v3 `PoolConfigurator` while holding RISK_ADMIN.
/// @dev Haircut (bps, absolute) = curve(discount) + navDropBps * navDropHaircutMultiplierBps / 1e4, with the curve
/// and multiplier from the oracle's keeper-pushed `ModelParams`. The LTV haircut uses max(spot, EMA) discount; the
/// LT haircut uses the EMA discount (persistence). Targets = base - haircut, clamped to [floor, base].
/// Asymmetry: LTV cuts apply at once; LT cuts move at most `ltRampBpsPerHour`; increases (LTV and LT) start only
/// after the spot discount stayed below `recoveryBandBps` for `recoveryCooldownSeconds` (and the level is not
/// IMPAIRED, and the market feed is fresh), then move at most `recoveryBpsPerHour`. Invariants after every write:
/// value <= ceiling <= base, value >= floor unless governance set it lower, LTV <= LT, LT * LB <= 100% (the module
/// never changes a liquidation bonus: every write carries the one on-chain). On IMPAIRED, LTV goes to its floor and
/// the reserve may be frozen.
/// Governance is never fought: the module tracks what it last wrote. A value found on-chain different from that
/// record was set by governance: the module adopts it and never raises that field above it again (its ceiling),
/// until governance reconfigures the asset. The module writes nothing in `configureAsset`: it starts from the
/// on-chain values (a new or changed eMode category included), so enabling it never moves a value at once.
/// eMode (Aave v3.0.x: one LTV/LT per category, applying to every member): one managed asset drives a category
/// (`HaircutEModeCategoryTaken` for a second one). On a shared category (other reserves are members) the module
/// only cuts the category LTV (liquidates nobody) and never its LT: one member's signal must not liquidate users
/// who hold none of it. LT cuts in eMode only where the category is dedicated to this LRT (governance declares it
/// with `setEModeDedicated`, verified then by scanning the pool's reserves, and again before each eMode LT cut;
/// Aave v3.2+ "liquid eMode" gives each LRT its own category). In Aave v3.0.2 an eMode LTV/LT must stay above every member
/// reserve's LTV/LT, which the module checks when the asset is configured (eMode floors must exceed the members'
/// current values). A refused Aave write (reserve or eMode) never reverts the poke: it emits `HaircutWriteRefused`
/// and the rest (reserve cut, freeze) still lands.
/// Aave generations: the module reads once, at construction, which configuration surface its Pool has
/// (`AAVE_GENERATION`) and reads and writes through the matching adapter library (`AaveV30ConfigAdapter`,
/// `AaveV32ConfigAdapter`, using Aave's own configuration libraries, never decoding Aave's bitmaps by hand):
/// - V3_0 (v3.0.x-v3.1): the eMode category id sits in the reserve bitmap; `setEModeCategory` with a price source;
///   the member-floor rule above; a category is dedicated only by governance's declaration; a freeze keeps the LTV.
/// - V3_2 (v3.2+, v3.6): liquid eMode; the asset must be collateral in its category's collateral bitmap; a category
///   whose only collateral is this asset is its own and dedicated at configuration (checked again before each LT
///   cut, from the bitmap); no member-floor rule. v3.6 freeze rules: `setReserveFreeze` requires a state change (the
///   module freezes only an unfrozen reserve and unfreezes only a frozen one) and on freeze moves the reserve LTV to
///   pending (LTV 0) and sets the asset's LTV-zero bit in its categories. While frozen the module reads the pending
///   LTV as the reserve's LTV and its writes land there (it does not fight, nor adopt, the LTV 0); its unfreeze
///   restores the reserve LTV from pending and clears the LTV-zero bit of the managed category, each only if its
///   freeze set it.
/// Roles: DEFAULT_ADMIN_ROLE = governance (configs), transferred in two steps with a delay (OpenZeppelin
/// `AccessControlDefaultAdminRules`). `poke` is permissionless.
interface IWideningHaircutModule {
  /// @notice The Aave configuration surface the module reads and writes through (see the contract notes).
  enum AaveGeneration {
    V3_0,
    V3_2
  }

  /// @notice What the module's own freeze changed beyond the frozen flag (v3.6), so its unfreeze can undo exactly
  /// that. All false on v3.0.
  /// @param restoreReserveLtv The freeze moved a non-zero reserve LTV to Aave's pending LTV.
  /// @param restoreEModeLtv The freeze set the asset's LTV-zero bit in the managed eMode category.
  struct FreezeRecord {
    bool restoreReserveLtv;
    bool restoreEModeLtv;
  }

  /// @notice Governance-set per-asset configuration. All percentages in bps; `liquidationBonusBps` uses Aave's
  /// encoding (1e4 + bonus, e.g. 10_750 = 7.5% bonus).
  /// @param baseLtvBps Reserve LTV with no haircut (the maximum the module ever writes). 0 only for a reserve whose
  /// on-chain LTV is 0 already (offboarded by governance), with `floorLtvBps` 0: its LTV then stays 0 while its LT,
  /// eMode category and freeze are managed.
  /// @param baseLtBps Reserve liquidation threshold with no haircut.
  /// @param liquidationBonusBps Reserve liquidation bonus governance intends (validated: LT x LB <= 100%); the
  /// module never writes a bonus, each write carries the one on-chain.
  /// @param floorLtvBps Lowest reserve LTV the module writes (>= 1; 0 exactly when `baseLtvBps` is 0).
  /// @param floorLtBps Lowest reserve LT the module writes.
  /// @param eModeCategoryId Aave eMode category driven by this asset (0 = none).
  /// @param eModeBaseLtvBps eMode LTV with no haircut.
  /// @param eModeBaseLtBps eMode LT with no haircut.
  /// @param eModeLiquidationBonusBps eMode liquidation bonus governance intends (validated; the on-chain one is kept).
  /// @param eModeFloorLtvBps Lowest eMode LTV the module writes.
  /// @param eModeFloorLtBps Lowest eMode LT the module writes.
  /// @param ltRampBpsPerHour Maximum LT decrease per hour (LT cuts ramp, Euler style).
  /// @param recoveryBandBps Spot discount below which the recovery cooldown runs.
  /// @param recoveryBpsPerHour Maximum LTV and LT increase per hour during recovery.
  /// @param recoveryCooldownSeconds How long the discount must stay below the band before values rise.
  /// @param freezeOnImpaired Freeze the reserve while the asset is IMPAIRED (unfrozen by the module on recovery,
  /// only if the module froze it).
  struct HaircutConfig {
    uint16 baseLtvBps;
    uint16 baseLtBps;
    uint16 liquidationBonusBps;
    uint16 floorLtvBps;
    uint16 floorLtBps;
    uint8 eModeCategoryId;
    uint16 eModeBaseLtvBps;
    uint16 eModeBaseLtBps;
    uint16 eModeLiquidationBonusBps;
    uint16 eModeFloorLtvBps;
    uint16 eModeFloorLtBps;
    uint16 ltRampBpsPerHour;
    uint16 recoveryBandBps;
    uint16 recoveryBpsPerHour;
    uint32 recoveryCooldownSeconds;
    bool freezeOnImpaired;
  }

  /// @notice Values the module last wrote into Aave for an asset (or found there at configuration), and the
  /// ceilings it may raise them back to.
  /// @param ltvBps Reserve LTV.
  /// @param ltBps Reserve liquidation threshold.
  /// @param eModeLtvBps eMode LTV (0 without eMode).
  /// @param eModeLtBps eMode LT (0 without eMode).
  /// @param rampClockAt Ramp/recovery clock: the time up to which LT-ramp or recovery steps have been applied;
  /// 0 while every value sits at its target (idle).
  /// @param belowRecoveryBandSince Start of the current streak with spot discount < recovery band (0 = not below).
  /// @param frozenByModule The module froze the reserve (and will unfreeze it on recovery).
  /// @param ltvCeilingBps Highest reserve LTV the module may write: the base, or the lower value governance set.
  /// @param ltCeilingBps Highest reserve LT the module may write.
  /// @param eModeLtvCeilingBps Highest eMode LTV the module may write.
  /// @param eModeLtCeilingBps Highest eMode LT the module may write.
  /// @param eModeDedicated Governance declared the eMode category this LRT's own (`setEModeDedicated`, verified:
  /// no other reserve is a member): only then does the module cut the category LT.
  struct HaircutState {
    uint16 ltvBps;
    uint16 ltBps;
    uint16 eModeLtvBps;
    uint16 eModeLtBps;
    uint40 rampClockAt;
    uint40 belowRecoveryBandSince;
    bool frozenByModule;
    uint16 ltvCeilingBps;
    uint16 ltCeilingBps;
    uint16 eModeLtvCeilingBps;
    uint16 eModeLtCeilingBps;
    bool eModeDedicated;
  }

  /// @notice Target values computed from the oracle state before ramp and recovery limits.
  struct HaircutTarget {
    uint16 ltvHaircutBps;
    uint16 ltHaircutBps;
    uint16 targetLtvBps;
    uint16 targetLtBps;
    uint16 targetEModeLtvBps;
    uint16 targetEModeLtBps;
  }

  /// @notice Emitted when governance (re)configured an asset (state taken from the on-chain values; nothing written).
  event HaircutConfigured(address indexed asset, HaircutConfig config);

  /// @notice Emitted once, at construction, with the configuration surface detected on `pool`.
  event AaveGenerationDetected(address indexed pool, AaveGeneration generation);

  /// @notice Emitted when governance removed an asset (its Aave values stay as they are; a freeze set by the
  /// module stays too and is governance's to lift).
  event HaircutAssetRemoved(address indexed asset, bool frozenByModule);

  /// @notice Emitted when the module found a value on-chain different from what it last wrote (governance changed
  /// it): the value is adopted and becomes the field's ceiling. `categoryId` 0 = the reserve.
  event GovernanceValueAdopted(
    address indexed asset,
    uint8 indexed categoryId,
    uint256 oldLtvBps,
    uint256 newLtvBps,
    uint256 oldLtBps,
    uint256 newLtBps
  );

  /// @notice Emitted when Aave refused a write (`categoryId` 0 = the reserve, else the eMode category); the poke
  /// carries on (the reserve cut and the freeze never depend on the eMode write).
  event HaircutWriteRefused(address indexed asset, uint8 indexed categoryId, bytes reason);

  /// @notice Emitted when governance declared (or withdrew) an asset's eMode category as dedicated to it.
  event EModeDedicationUpdated(address indexed asset, uint8 indexed categoryId, bool dedicated);

  /// @notice Emitted when a category declared dedicated has gained another member: its LT is not cut.
  event EModeLtCutSkipped(uint8 indexed categoryId, address member);

  /// @notice Emitted when the module wrote new reserve collateral parameters into Aave.
  event HaircutUpdated(address indexed asset, uint256 oldLtvBps, uint256 newLtvBps, uint256 oldLtBps, uint256 newLtBps);

  /// @notice Emitted when the module wrote new eMode category parameters into Aave.
  event EModeHaircutUpdated(
    uint8 indexed categoryId,
    uint256 oldLtvBps,
    uint256 newLtvBps,
    uint256 oldLtBps,
    uint256 newLtBps
  );

  /// @notice Emitted when the module froze or unfroze a reserve.
  event ReserveFreezeUpdated(address indexed asset, bool frozen);

  /// @notice The asset has no haircut configuration.
  error HaircutUnknownAsset(address asset);
  /// @notice A config field is invalid; `field` names it.
  error HaircutInvalidConfig(address asset, string field);
  /// @notice Another managed asset already drives this eMode category (one driver per category).
  error HaircutEModeCategoryTaken(uint8 categoryId, address driver);
  /// @notice The category is to be declared dedicated (`setEModeDedicated`) but another reserve is a member.
  error HaircutEModeCategoryShared(uint8 categoryId, address member);
  /// @notice In Aave v3.0.2 an eMode floor must exceed each member reserve's current value.
  error HaircutEModeFloorBelowMember(uint8 categoryId, address member, uint256 memberValueBps, uint256 floorBps);

  /// @notice The Aave addresses provider (pool, configurator, ACL manager).
  function ADDRESSES_PROVIDER() external view returns (IPoolAddressesProvider);

  /// @notice The risk oracle this module reads.
  function ORACLE() external view returns (ICollateralRiskOracle);

  /// @notice The Aave Pool (read from the addresses provider at construction).
  function POOL() external view returns (IPool);

  /// @notice The Aave PoolConfigurator the module writes through (read from the addresses provider at construction).
  function CONFIGURATOR() external view returns (IPoolConfigurator);

  /// @notice The Aave configuration surface of `POOL`, detected once at construction.
  function AAVE_GENERATION() external view returns (AaveGeneration);

  /// @notice Governance: configure (or reconfigure) an asset. Validates every field and the Aave constraints, then
  /// takes the state from the values on-chain now (reserve, and the eMode category if set) and writes nothing into
  /// Aave. Ceilings: the base, lowered to the on-chain value unless the module itself set that value (a haircut in
  /// force on the same category can still recover to the new base).
  function configureAsset(address asset, HaircutConfig calldata config) external;

  /// @notice Governance: declare (or withdraw) the asset's eMode category as dedicated to it, i.e. no other reserve
  /// is a member (verified now by scanning the pool's reserves, and again before each eMode LT cut). Only a
  /// dedicated category has its LT cut. Reset by a `configureAsset` that changes the category.
  function setEModeDedicated(address asset, bool dedicated) external;

  /// @notice Governance: stop managing an asset (its eMode category is released; Aave values stay as they are).
  function removeAsset(address asset) external;

  /// @notice The managed asset driving an eMode category (address(0) = none).
  function eModeDriver(uint8 categoryId) external view returns (address);

  /// @notice Permissionless: poke the oracle for `asset`, compute the target, apply the ramp/recovery limits and
  /// write into Aave only what changed (a cheap no-op when nothing changed). In the block of an earlier oracle poke
  /// it reads that observation instead of the feeds: the keeper sends `ORACLE().poke(asset)` first, so that each of
  /// the two transactions stays under 150k gas with a backing feed and an eMode write.
  /// @return state The state after the poke.
  function poke(address asset) external returns (HaircutState memory state);

  /// @notice The targets the module would aim at for the oracle's current state (no ramp or recovery limits).
  function previewTarget(address asset) external view returns (HaircutTarget memory);

  /// @notice The asset's configuration.
  function getHaircutConfig(address asset) external view returns (HaircutConfig memory);

  /// @notice The values the module last wrote.
  function getHaircutState(address asset) external view returns (HaircutState memory);

  /// @notice All configured assets.
  function getAssets() external view returns (address[] memory);
}
