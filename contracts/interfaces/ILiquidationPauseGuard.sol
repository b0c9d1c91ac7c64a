// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IPriceOracleSentinel} from "@aave/core-v3/contracts/interfaces/IPriceOracleSentinel.sol";
import {ICollateralRiskOracle} from "./ICollateralRiskOracle.sol";

/// @title ILiquidationPauseGuard
/// @notice Drop-in Aave v3.0.2-v3.6 `IPriceOracleSentinel` that keeps the L2 sequencer-feed behaviour and adds a
/// narrow, bounded, condition-triggered liquidation pause for LRT collateral during a *liquidity* depeg (market
/// discount above the trip threshold while the exchange rate and backing are intact).
/// @dev Aave v3.0's sentinel has no asset argument, so a pause of any watched asset pauses liquidations (and
/// borrowing) market-wide; the Pool only consults the sentinel when HF >= 0.95, so positions below 0.95 are always
/// liquidatable. The aggregate "blocked until" timestamps share one storage slot with the sequencer oracle address
/// and its grace period: `isLiquidationAllowed()`/`isBorrowAllowed()` cost one SLOAD (plus the sequencer feed call
/// when one is set), one SLOAD less than Aave's own sentinel.
/// Per asset: anyone may `trip` when the oracle shows discount >= `tripDiscountBps` (model params set, market feed
/// fresh) and the level is not IMPAIRED; the guardian may trip by hand (not when IMPAIRED either). A pause lasts at
/// most `maxPauseSeconds`; after it ends normally, liquidations stay blocked `postPauseGraceSeconds` more (borrowing
/// is allowed) so users can top up, like Aave's own grace period. Blocked seconds = pause + grace: the asset can trip
/// again only `cooldownSeconds` (> maxPauseSeconds + postPauseGraceSeconds) after the previous trip started, so its
/// blocks never chain; the blocked seconds (grace included) within any rolling `windowSeconds` are capped at
/// `maxPausedSecondsPerWindow` (< windowSeconds; exact, from the last 8 pauses; config requires windowSeconds +
/// maxPauseSeconds + postPauseGraceSeconds <= 8 * cooldownSeconds).
/// Market-wide: on Aave v3.0 every pause blocks the whole market, so the union of all assets' blocks (pauses and
/// graces) is capped too: at most `MarketLimits.maxBlockedSecondsPerWindow` (< windowSeconds) within any rolling
/// `MarketLimits.windowSeconds`, whatever the number of assets. That cap is the worst-case market-wide blocking.
/// A pause simply expires; anyone may `release` an asset early when the oracle shows IMPAIRED (no grace then); the
/// guardian may release any time.
/// Roles: DEFAULT_ADMIN_ROLE = governance (asset configs, market limits), transferred in two steps with a delay
/// (OpenZeppelin `AccessControlDefaultAdminRules`); GUARDIAN_ROLE (manual trip/release). The sentinel
/// setters follow Aave's sentinel: `setSequencerOracle` by the pool admin, `setGracePeriod` by the risk or pool
/// admin, checked through the ACL manager of `ADDRESSES_PROVIDER`.
interface ILiquidationPauseGuard is IPriceOracleSentinel {
  /// @notice Why an asset was paused.
  enum TripReason {
    DISCOUNT,
    GUARDIAN
  }

  /// @notice How the lending market prices the asset as collateral.
  /// MARKET: by its market price (Morpho/Gearbox-style oracles): a market discount moves health factors, so a pause
  /// can spare positions a liquidity dislocation would liquidate.
  /// EXCHANGE_RATE: by its exchange rate (Aave's CAPO adapters): a market discount liquidates nobody, so a pause can
  /// only block; the guard refuses every trip of such an asset (`GuardPauseCannotHelp`).
  enum CollateralPricing {
    MARKET,
    EXCHANGE_RATE
  }

  /// @notice Governance-set limits of one asset.
  /// @param maxPauseSeconds Longest pause (permissionless trips always use this duration).
  /// @param cooldownSeconds Minimum time from one trip's start to the next trip (must exceed maxPauseSeconds +
  /// postPauseGraceSeconds: one asset's blocks never chain).
  /// @param windowSeconds Rolling window of the blocked-time cap.
  /// @param maxPausedSecondsPerWindow Cap on blocked seconds (pause + grace) within any `windowSeconds`; at least
  /// maxPauseSeconds + postPauseGraceSeconds and below windowSeconds.
  /// @param postPauseGraceSeconds Extra seconds liquidations stay blocked after a pause ends normally.
  /// @param enabled Whether the asset can be tripped.
  /// @param pricing How the market's price oracle prices the asset; verified at configuration against the Aave
  /// oracle of `ADDRESSES_PROVIDER` (see `configureAsset`).
  /// @param pricingReference The Aave reserve priced at one unit of the exchange rate's denomination (WETH for ETH
  /// LRTs): the Aave price of the asset over this reserve's is the market's LRT/ETH price.
  struct GuardConfig {
    uint32 maxPauseSeconds;
    uint32 cooldownSeconds;
    uint32 windowSeconds;
    uint32 maxPausedSecondsPerWindow;
    uint32 postPauseGraceSeconds;
    bool enabled;
    CollateralPricing pricing;
    address pricingReference;
  }

  /// @notice Pause state of one asset.
  /// @param pausedAt Start of the current (or last) pause; 0 = never paused.
  /// @param pausedUntil End of the current (or last) pause (earlier if released).
  /// @param liquidationBlockedUntil pausedUntil + grace (liquidations blocked until then).
  /// @param reason Reason of the current (or last) pause.
  struct PauseState {
    uint40 pausedAt;
    uint40 pausedUntil;
    uint40 liquidationBlockedUntil;
    TripReason reason;
  }

  /// @notice Market-wide limits on blocked liquidations (the union of every asset's pause and grace).
  /// @param windowSeconds Rolling window of the market-wide cap.
  /// @param maxBlockedSecondsPerWindow Cap on seconds with liquidations blocked by any asset within any window
  /// (0 < cap < windowSeconds).
  struct MarketLimits {
    uint32 windowSeconds;
    uint32 maxBlockedSecondsPerWindow;
  }

  /// @notice One past block (pause + grace) in a rolling-cap history.
  struct PauseRecord {
    uint40 startAt;
    uint32 durationSeconds;
  }

  /// @notice Emitted when governance (re)configured an asset.
  event GuardConfigured(address indexed asset, GuardConfig config);

  /// @notice Emitted when governance removed an asset (its pause and grace end at once; market-wide records stay).
  event GuardAssetRemoved(address indexed asset);

  /// @notice Emitted when governance set the market-wide limits.
  event MarketLimitsUpdated(MarketLimits oldLimits, MarketLimits newLimits);

  /// @notice Emitted when an asset was paused.
  event PauseTripped(address indexed asset, TripReason reason, uint256 pausedUntil, uint256 liquidationBlockedUntil);

  /// @notice Emitted when an asset's pause was ended early.
  /// @param impaired True when released because the oracle shows IMPAIRED (no grace then).
  event PauseReleased(address indexed asset, address indexed by, bool impaired, uint256 liquidationBlockedUntil);

  /// @notice Emitted when the market-wide aggregate changed.
  event AggregateUpdated(uint256 borrowBlockedUntil, uint256 liquidationBlockedUntil);

  /// @notice The asset is not configured (or disabled).
  error GuardAssetNotEnabled(address asset);
  /// @notice The asset is already paused.
  error GuardAlreadyPaused(address asset, uint256 pausedUntil);
  /// @notice The asset is not paused.
  error GuardNotPaused(address asset);
  /// @notice A trip came before the cooldown from the previous trip's start elapsed.
  error GuardCooldownActive(address asset, uint256 nextTripAt);
  /// @notice A trip would exceed the paused-seconds cap of the rolling window.
  error GuardWindowCapExceeded(address asset, uint256 pausedSecondsInWindow, uint256 requestedSeconds, uint256 cap);
  /// @notice A trip would push the market-wide blocked seconds within the rolling window above the cap.
  error GuardMarketCapExceeded(uint256 blockedSecondsInWindow, uint256 requestedSeconds, uint256 cap);
  /// @notice Invalid market-wide limits; `field` names the field.
  error GuardInvalidMarketLimits(string field);
  /// @notice The oracle shows IMPAIRED: pausing on a real loss only grows bad debt.
  error GuardAssetImpaired(address asset);
  /// @notice The oracle has no model parameters for the asset yet (no trip threshold): nobody may trip it.
  error GuardModelParamsNotSet(address asset);
  /// @notice The oracle could not read a fresh market price for the asset (its discount is carried over): no trip
  /// on an old discount.
  error GuardMarketFeedStale(address asset);
  /// @notice The market prices `asset` by its exchange rate: a market discount liquidates nobody there, so a pause
  /// would only block liquidations and borrows (never tripped, by anyone).
  error GuardPauseCannotHelp(address asset, CollateralPricing pricing);
  /// @notice The declared pricing does not match the market's oracle: its LRT/ETH price (`aavePriceWad`, the Aave
  /// price of the asset over the reference reserve's) is not within `PRICING_TOLERANCE_BPS` of the declared source
  /// (`marketPriceWad` for MARKET, `exchangeRateWad` for EXCHANGE_RATE), or is closer to the other one while the two
  /// differ by more than twice the tolerance.
  error GuardPricingMismatch(
    address asset,
    CollateralPricing declared,
    uint256 aavePriceWad,
    uint256 marketPriceWad,
    uint256 exchangeRateWad
  );
  /// @notice The pricing cannot be verified: no Aave price oracle on the provider, no positive Aave price for the
  /// asset or its reference, or no fresh market price in the risk oracle.
  error GuardPricingUnverifiable(address asset, address pricingReference);
  /// @notice Discount below the trip threshold.
  error GuardDiscountBelowTrip(address asset, uint256 discountBps, uint256 tripDiscountBps);
  /// @notice The pause is active, the asset not IMPAIRED, and the caller is not the guardian.
  error GuardReleaseNotAllowed(address asset, uint256 pausedUntil);
  /// @notice A requested pause duration is zero or above maxPauseSeconds.
  error GuardInvalidDuration(address asset, uint256 durationSeconds, uint256 maxPauseSeconds);
  /// @notice A config field is invalid; `field` names it.
  error GuardInvalidConfig(address asset, string field);
  /// @notice The caller lacks the Aave role required (pool admin; or risk/pool admin for the grace period).
  error GuardCallerNotAaveAdmin(address caller);
  /// @notice Too many watched assets.
  error GuardTooManyAssets(uint256 max);

  /// @notice Role allowed to trip and release by hand.
  function GUARDIAN_ROLE() external view returns (bytes32);

  /// @notice The risk oracle this guard reads.
  function ORACLE() external view returns (ICollateralRiskOracle);

  /// @notice Tolerance of the pricing check at configuration, bps of the compared price.
  function PRICING_TOLERANCE_BPS() external view returns (uint256);

  /// @notice Governance: configure (or disable) an asset. Verifies `config.pricing` against the market: pokes the
  /// risk oracle and compares the Aave oracle's LRT/ETH price (asset price / `pricingReference` price) with the
  /// oracle's market price (MARKET) or exchange rate (EXCHANGE_RATE), within `PRICING_TOLERANCE_BPS`; while the
  /// market and the rate differ by more than twice the tolerance the Aave price must also be closer to the declared
  /// one (at par both regimes agree with the market and either declaration passes).
  function configureAsset(address asset, GuardConfig calldata config) external;

  /// @notice Governance: stop watching an asset. Its pause and grace end at once (liquidations resume unless another
  /// asset blocks them); its per-asset history is dropped; the market-wide records keep counting.
  function removeAsset(address asset) external;

  /// @notice Governance: set the market-wide limits (constructor default: 13 h per rolling 7 days). Applies to the
  /// next trip; recorded blocks stay counted.
  function setMarketLimits(MarketLimits calldata limits) external;

  /// @notice Permissionless: poke the oracle and pause `asset` for `maxPauseSeconds` when its discount is at or
  /// above the trip threshold and it is not IMPAIRED; never for an asset the market prices by exchange rate
  /// (`GuardPauseCannotHelp`) (and cooldown and rolling cap allow). Reverts with
  /// `GuardModelParamsNotSet` while governance has not set the asset's model parameters (no threshold yet).
  function trip(address asset) external;

  /// @notice GUARDIAN_ROLE: pause `asset` for `durationSeconds` (<= maxPauseSeconds) regardless of the discount,
  /// within the same hard limits; never when IMPAIRED, never for an asset priced by exchange rate.
  function guardianTrip(address asset, uint32 durationSeconds) external;

  /// @notice End a pause (or its grace) early: anyone when the oracle (poked here) shows IMPAIRED (liquidations
  /// resume at once, no grace); the guardian any time (during a pause the post-pause grace then runs from now, never
  /// beyond the original end; during the grace the release ends it). Reverts with GuardNotPaused when neither the
  /// pause nor its grace is active.
  function release(address asset) external;

  /// @notice Whether `asset` is paused now (liquidation grace excluded).
  function isAssetPaused(address asset) external view returns (bool);

  /// @notice Whether liquidations of `asset` are blocked now by this asset's pause or grace.
  function isAssetLiquidationBlocked(address asset) external view returns (bool);

  /// @notice The asset's limits.
  function getGuardConfig(address asset) external view returns (GuardConfig memory);

  /// @notice The asset's pause state.
  function getPauseState(address asset) external view returns (PauseState memory);

  /// @notice Blocked seconds (pause + grace) of `asset` within the rolling window ending now (a pending block
  /// counted in full).
  function pausedSecondsInWindow(address asset) external view returns (uint256);

  /// @notice The market-wide limits.
  function getMarketLimits() external view returns (MarketLimits memory);

  /// @notice Seconds with liquidations blocked market-wide within the market window ending now (pending counted).
  function marketBlockedSecondsInWindow() external view returns (uint256);

  /// @notice Earliest time `asset` can trip again (cooldown only).
  function nextTripAt(address asset) external view returns (uint256);

  /// @notice Market-wide aggregate: borrowing blocked until, liquidations blocked until.
  function getAggregate() external view returns (uint40 borrowBlockedUntil, uint40 liquidationBlockedUntil);

  /// @notice All configured assets.
  function getAssets() external view returns (address[] memory);
}
