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
/// IMPAIRED), then move at most `recoveryBpsPerHour`. Invariants after every write: floor <= value <= base,
/// LTV <= LT, LT * LB <= 100%, LTV >= 1 bp (LTV 0 has a special meaning on Aave). On IMPAIRED, LTV goes to its
/// floor and the reserve may be frozen. The eMode category (if any) receives the same haircut on its own base
/// values.
/// Aave generations: the module reads once, at construction, which configuration surface its Pool has
/// (`AAVE_GENERATION`) and writes through the matching adapter library (`AaveV30ConfigAdapter`,
/// `AaveV32ConfigAdapter`), never by decoding Aave's bitmaps by hand:
/// - V3_0 (v3.0.x-v3.1): the eMode category id sits in the reserve bitmap; an eMode LTV/LT must stay above every
///   member reserve's LTV/LT, which the module checks when the asset is configured (eMode floors must exceed the
///   members' current values); a freeze keeps the LTV.
/// - V3_2 (v3.2+, v3.6): liquid eMode; the asset must be collateral in its category's collateral bitmap; the
///   category's LT is cut only while the asset is the category's sole collateral (its own category, as each LRT is
///   on Aave today), otherwise only its LTV; `setReserveFreeze` requires a state change (the module freezes only an
///   unfrozen reserve and unfreezes only a frozen one) and on freeze moves the reserve LTV to pending (LTV 0) and
///   sets the asset's LTV-zero bit in its categories. While frozen the module's reserve writes land in Aave's pending
///   LTV (it does not fight the LTV 0); its unfreeze restores the reserve LTV from pending and clears the LTV-zero
///   bit of the managed category, each only if its freeze set it.
/// Roles: DEFAULT_ADMIN_ROLE = governance (configs). `poke` is permissionless.
interface IWideningHaircutModule {
  /// @notice The Aave configuration surface the module writes through (see the contract notes).
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
  /// @param baseLtvBps Reserve LTV with no haircut (the maximum the module ever writes).
  /// @param baseLtBps Reserve liquidation threshold with no haircut.
  /// @param liquidationBonusBps Reserve liquidation bonus (written unchanged).
  /// @param floorLtvBps Lowest reserve LTV the module writes (>= 1).
  /// @param floorLtBps Lowest reserve LT the module writes.
  /// @param eModeCategoryId Aave eMode category driven by this asset (0 = none).
  /// @param eModeBaseLtvBps eMode LTV with no haircut.
  /// @param eModeBaseLtBps eMode LT with no haircut.
  /// @param eModeLiquidationBonusBps eMode liquidation bonus (Aave encoding, written unchanged).
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

  /// @notice Values the module last wrote into Aave for an asset.
  /// @param ltvBps Reserve LTV.
  /// @param ltBps Reserve liquidation threshold.
  /// @param eModeLtvBps eMode LTV (0 without eMode).
  /// @param eModeLtBps eMode LT (0 without eMode).
  /// @param rampClockAt Ramp/recovery clock: the time up to which LT-ramp or recovery steps have been applied;
  /// 0 while every value sits at its target (idle).
  /// @param belowRecoveryBandSince Start of the current streak with spot discount < recovery band (0 = not below).
  /// @param frozenByModule The module froze the reserve (and will unfreeze it on recovery).
  struct HaircutState {
    uint16 ltvBps;
    uint16 ltBps;
    uint16 eModeLtvBps;
    uint16 eModeLtBps;
    uint40 rampClockAt;
    uint40 belowRecoveryBandSince;
    bool frozenByModule;
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

  /// @notice Emitted once, at construction, with the configuration surface detected on `pool`.
  event AaveGenerationDetected(address indexed pool, AaveGeneration generation);

  /// @notice Emitted when governance (re)configured an asset (state reset to the base values).
  event HaircutConfigured(address indexed asset, HaircutConfig config);

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

  /// @notice Governance: configure an asset and write its base values into Aave at once (reserve, and eMode
  /// category if set). Validates every field and the Aave constraints first.
  function configureAsset(address asset, HaircutConfig calldata config) external;

  /// @notice Permissionless: poke the oracle for `asset`, compute the target, apply the ramp/recovery limits and
  /// write into Aave only what changed (a cheap no-op when nothing changed).
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
