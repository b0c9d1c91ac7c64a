// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AggregatorV3Interface} from "./external/AggregatorV3Interface.sol";
import {IExchangeRateAdapter} from "./IExchangeRateAdapter.sol";

/// @title ICollateralRiskOracle
/// @notice Per-asset risk state of a liquid restaking token (LRT) used as collateral. It tells a *liquidity
/// dislocation* (market price below the exchange rate, NAV intact) apart from a *real loss* (exchange rate falling
/// below its recent high, or backing below the exchange rate), and stores the keeper-pushed model parameters the
/// haircut module and the liquidation guard read.
/// @dev Units: prices and rates are WAD (1e18 = 1 ETH per LRT, "at par"); percentages are basis points
/// (BPS = 1e4); time is seconds. Roles: DEFAULT_ADMIN_ROLE = governance (asset config, parameter bounds; transferred
/// in two steps with a delay, OpenZeppelin `AccessControlDefaultAdminRules`),
/// RISK_KEEPER_ROLE pushes `ModelParams` within the governance bounds (minimum delay, maximum step per field).
/// `poke(asset)` is permissionless.
interface ICollateralRiskOracle {
  /// @notice Risk level of an asset. Levels below IMPAIRED are driven by the market discount (with hysteresis);
  /// IMPAIRED means the exchange rate or the backing says a real loss happened (NAV drop beyond tolerance or
  /// backing shortfall beyond tolerance) and overrides the discount levels.
  enum RiskLevel {
    NORMAL,
    ELEVATED,
    STRESSED,
    IMPAIRED
  }

  /// @notice Governance-set per-asset configuration (field order follows the storage packing; the optional backing
  /// feed is stored apart and read by a poke only when set).
  /// @param marketFeed Chainlink-compatible LRT/ETH market price feed (any decimals, normalised to 1e18).
  /// @param rateAdapter Exchange-rate adapter returning ETH per LRT, 1e18.
  /// @param backingFeed Optional proof-of-backing feed reporting ETH of backing per LRT token (any decimals,
  /// normalised to 1e18); address(0) disables the backing check.
  /// @param marketHeartbeatSeconds Maximum age of the market feed's `updatedAt`.
  /// @param backingHeartbeatSeconds Maximum age of the backing feed's `updatedAt` (ignored without a feed).
  /// @param minRateWad Lowest plausible exchange rate (sanity bound), e.g. 0.5e18.
  /// @param maxRateWad Highest plausible exchange rate (sanity bound), e.g. 2e18.
  /// @param emaHalfLifeSeconds Half-life of the time-weighted discount EMA.
  /// @param navHighWindowSeconds Window of the "recent high" of the exchange rate: the high is reset to the current
  /// rate once it is older than this window.
  /// @param navDropToleranceBps NAV drop (rate below its recent high) above which the asset is IMPAIRED.
  /// @param backingShortfallToleranceBps Backing shortfall (backing below rate) above which the asset is IMPAIRED.
  /// @param elevatedDiscountBps Discount at or above which the level rises to ELEVATED (STRESSED uses
  /// `ModelParams.stressDiscountBps`).
  /// @param hysteresisBps A level is left only once the discount is below its entry threshold minus this band.
  struct AssetConfig {
    AggregatorV3Interface marketFeed;
    uint32 marketHeartbeatSeconds;
    uint32 emaHalfLifeSeconds;
    uint32 navHighWindowSeconds;
    IExchangeRateAdapter rateAdapter;
    uint16 navDropToleranceBps;
    uint16 backingShortfallToleranceBps;
    uint16 elevatedDiscountBps;
    uint16 hysteresisBps;
    AggregatorV3Interface backingFeed;
    uint32 backingHeartbeatSeconds;
    uint128 minRateWad;
    uint128 maxRateWad;
  }

  /// @notice Keeper-pushed model parameters of one asset (from the off-chain parameter engine). Flat, one storage
  /// slot; the params file `cascade-guard/params@1` mirrors it field by field. Field order is the field index used
  /// in bounds errors: 0 tripDiscountBps, 1 stressDiscountBps, 2 navDropHaircutMultiplierBps, 3..10 the knots.
  /// @param tripDiscountBps Market discount at or above which anyone may trip the liquidation guard.
  /// @param stressDiscountBps Market discount at or above which the level rises to STRESSED.
  /// @param navDropHaircutMultiplierBps Extra haircut per bp of NAV drop, in bps of a bp (1e4 = 1 bp per bp).
  /// @param knot0DiscountBps .. knot3DiscountBps Haircut curve x-coordinates (strictly increasing).
  /// @param knot0HaircutBps .. knot3HaircutBps Haircut curve y-coordinates (non-decreasing). The curve is flat at
  /// knot0HaircutBps below knot0 and flat at knot3HaircutBps above knot3, linear in between.
  struct ModelParams {
    uint16 tripDiscountBps;
    uint16 stressDiscountBps;
    uint16 navDropHaircutMultiplierBps;
    uint16 knot0DiscountBps;
    uint16 knot0HaircutBps;
    uint16 knot1DiscountBps;
    uint16 knot1HaircutBps;
    uint16 knot2DiscountBps;
    uint16 knot2HaircutBps;
    uint16 knot3DiscountBps;
    uint16 knot3HaircutBps;
  }

  /// @notice Governance bounds on the keeper's `ModelParams` updates (BGD risk-steward style): every field must lie
  /// in [min, max] and move by at most maxStep per update; updates are at least `minDelaySeconds` apart
  /// (`minDelaySeconds` > 0: with no delay the step bound limits nothing).
  struct ModelParamsBounds {
    ModelParams min;
    ModelParams max;
    ModelParams maxStep;
    uint32 minDelaySeconds;
  }

  /// @notice Full risk state of one asset as of its last poke (three storage slots; field order is the packing).
  /// @param marketPriceWad Last market price, ETH per LRT (1e18).
  /// @param exchangeRateWad Last exchange rate, ETH per LRT (1e18).
  /// @param recentHighRateWad Highest exchange rate seen in the current high window.
  /// @param backingPerTokenWad Last backing per token (1e18); 0 without a backing feed.
  /// @param recentHighAt When `recentHighRateWad` was recorded.
  /// @param lastPokeAt Timestamp of the last poke (0 = never poked).
  /// @param levelSince When the current level was entered.
  /// @param aboveElevatedSince Start of the current streak with discount >= elevated threshold (0 = not above).
  /// @param aboveStressedSince Start of the current streak with discount >= stress threshold (0 = not above).
  /// @param discountBps Spot discount `max(0, 1 - market / rate)` in bps, rounded up.
  /// @param emaDiscountBps Time-weighted EMA of the discount (half-life from the config), of the market as a step
  /// function: the previous observation is held from the last poke until the market feed's `updatedAt`, the new one
  /// from then to now (a reading is never credited with the gap before it; exact with a poke per feed round).
  /// @param navDropBps Exchange rate below its recent high, in bps of the high.
  /// @param backingShortfallBps Backing below the exchange rate, in bps of the rate.
  /// @param level Current risk level.
  /// @param marketStale The last poke could not read a fresh, positive market price (feed stale, reverting or
  /// answering <= 0): market price, discount and EMA input were carried over from the last good reading. The
  /// guard refuses to trip on such a state; the NAV and backing verdict (IMPAIRED) does not need the market feed.
  struct AssetState {
    uint128 marketPriceWad;
    uint128 exchangeRateWad;
    uint128 recentHighRateWad;
    uint40 recentHighAt;
    uint40 lastPokeAt;
    uint16 discountBps;
    uint16 emaDiscountBps;
    uint16 navDropBps;
    uint96 backingPerTokenWad;
    uint40 levelSince;
    uint40 aboveElevatedSince;
    uint40 aboveStressedSince;
    uint16 backingShortfallBps;
    RiskLevel level;
    bool marketStale;
  }

  /// @notice What `pokeForHaircut` answers: the fields of the fresh `AssetState` and of the current `ModelParams`
  /// that a haircut is computed from.
  /// @param discountBps As in `AssetState`.
  /// @param emaDiscountBps As in `AssetState`.
  /// @param navDropBps As in `AssetState`.
  /// @param level As in `AssetState`.
  /// @param marketStale As in `AssetState`.
  /// @param navDropHaircutMultiplierBps As in `ModelParams`.
  /// @param knots The curve: knot0DiscountBps, knot0HaircutBps, ..., knot3HaircutBps of `ModelParams`, in that order
  /// (the argument `RiskMath.curveHaircutBps` takes).
  struct HaircutInputs {
    uint16 discountBps;
    uint16 emaDiscountBps;
    uint16 navDropBps;
    RiskLevel level;
    bool marketStale;
    uint16 navDropHaircutMultiplierBps;
    uint16[8] knots;
  }

  /// @notice The asset's rate adapter reports a rate that an unbacked mint does not move (e.g. Kelp's stored
  /// `rsETHPrice`); such an asset needs a proof-of-backing feed.
  error OracleBackingFeedRequired(address asset, address rateAdapter);

  /// @notice Emitted when governance (re)configures an asset.
  event AssetConfigured(address indexed asset, AssetConfig config);

  /// @notice Emitted when governance sets the model-parameter bounds (and the initial parameters) of an asset.
  event ModelParamsBoundsUpdated(address indexed asset, ModelParamsBounds bounds, ModelParams params);

  /// @notice Emitted when the keeper pushed new model parameters.
  event ModelParamsUpdated(address indexed asset, ModelParams oldParams, ModelParams newParams);

  /// @notice Emitted on every poke that recorded an observation.
  event ObservationRecorded(
    address indexed asset,
    uint256 marketPriceWad,
    uint256 exchangeRateWad,
    uint256 discountBps,
    uint256 emaDiscountBps
  );

  /// @notice Emitted when the risk level of an asset changed.
  event RiskLevelChanged(address indexed asset, RiskLevel oldLevel, RiskLevel newLevel);

  /// @notice The asset has no configuration.
  error OracleUnknownAsset(address asset);
  /// @notice A config field is invalid; `field` names it.
  error OracleInvalidConfig(address asset, string field);
  /// @notice Model parameters were pushed before the minimum delay elapsed.
  error OracleParamsUpdateTooSoon(address asset, uint256 lastUpdateAt, uint256 earliestAt);
  /// @notice Model parameter field `fieldIndex` (see `ModelParams`) is outside its bounds.
  error OracleParamOutOfBounds(address asset, uint256 fieldIndex, uint256 value, uint256 min, uint256 max);
  /// @notice Model parameter field `fieldIndex` moved by more than its maximum step.
  error OracleParamStepTooLarge(address asset, uint256 fieldIndex, uint256 current, uint256 requested, uint256 maxStep);
  /// @notice The haircut curve knots are not strictly increasing in discount / non-decreasing in haircut, or a
  /// haircut exceeds 100%.
  error OracleInvalidHaircutCurve(address asset);
  /// @notice Model parameters were pushed before governance set bounds for the asset.
  error OracleParamsBoundsNotSet(address asset);

  /// @notice Role allowed to push `ModelParams` within bounds.
  function RISK_KEEPER_ROLE() external view returns (bytes32);

  /// @notice Governance: configure (or reconfigure) an asset. Validates every field, then stores it. The risk state
  /// is kept on reconfiguration. Reverts with `OracleBackingFeedRequired` when the rate adapter says it is blind to
  /// unbacked mints (`IExchangeRateAdapter.BLIND_TO_UNBACKED_MINTS`) and no backing feed is given.
  function configureAsset(address asset, AssetConfig calldata config) external;

  /// @notice Governance: set the bounds on model parameters of `asset` and its current parameters (no step or delay
  /// check; the parameters must lie within the new bounds and form a valid curve). Reverts with
  /// `OracleInvalidConfig(asset, "minDelaySeconds")` when `bounds.minDelaySeconds` is 0.
  function setModelParamsBounds(address asset, ModelParamsBounds calldata bounds, ModelParams calldata params) external;

  /// @notice RISK_KEEPER_ROLE: push new model parameters. Reverts if sooner than `minDelaySeconds` after the last
  /// update, if a field is out of bounds or moves by more than its maximum step, or if the curve is invalid.
  function setModelParams(address asset, ModelParams calldata params) external;

  /// @notice Permissionless: read the feeds, record an observation and update discount, EMA, NAV drop, backing
  /// shortfall, streaks and the risk level. Reverts only for an unknown asset: a catastrophic or unreadable input
  /// is recorded, never a reason to revert (a revert would leave the last level, e.g. NORMAL, in force):
  /// - rate adapter reverting, answering 0 or above `maxRateWad`: IMPAIRED, last rate and NAV drop kept;
  /// - rate below `minRateWad`: IMPAIRED, the rate recorded as read (its NAV drop drives the haircut);
  /// - backing feed answering <= 0: zero backing, 100% shortfall, IMPAIRED; backing feed stale or reverting:
  ///   IMPAIRED, last backing kept;
  /// - market feed stale, reverting or answering <= 0: `marketStale`, discount carried over; the rate and the
  ///   backing are judged all the same (a NAV drop with a stale market is IMPAIRED).
  /// Several pokes in one block update only once (idempotent within a block): a later one reads the recorded
  /// observation, without the feeds and without the asset's config.
  /// @return state The updated state.
  function poke(address asset) external returns (AssetState memory state);

  /// @notice `poke(asset)`, answering only what a haircut needs from the fresh state and the current curve, in one
  /// call (one external call and one cold read less than `poke` + `getModelParams`, and a 14-word answer instead
  /// of 28: the consumer pays to decode every word).
  /// @return inputs The fresh readings and the current curve (knots and multiplier zero before the bounds are set).
  function pokeForHaircut(address asset) external returns (HaircutInputs memory inputs);

  /// @notice The state as of the last poke.
  function getAssetState(address asset) external view returns (AssetState memory);

  /// @notice The asset's configuration.
  function getAssetConfig(address asset) external view returns (AssetConfig memory);

  /// @notice The asset's current model parameters and when they were last updated.
  function getModelParams(address asset) external view returns (ModelParams memory params, uint40 updatedAt);

  /// @notice The asset's model-parameter bounds.
  function getModelParamsBounds(address asset) external view returns (ModelParamsBounds memory);

  /// @notice The risk level as of the last poke (NORMAL for a configured asset never poked).
  function getRiskLevel(address asset) external view returns (RiskLevel);

  /// @notice Whether `asset` is configured.
  function isAssetConfigured(address asset) external view returns (bool);

  /// @notice All configured assets.
  function getAssets() external view returns (address[] memory);

  /// @notice Haircut from the asset's current curve for a given discount (piecewise linear, see `ModelParams`).
  function haircutForDiscount(address asset, uint256 discountBps) external view returns (uint256 haircutBps);
}
