// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {ICollateralRiskOracle} from "../interfaces/ICollateralRiskOracle.sol";
import {IExchangeRateAdapter} from "../interfaces/IExchangeRateAdapter.sol";
import {AggregatorV3Interface} from "../interfaces/external/AggregatorV3Interface.sol";
import {RiskMath} from "../libraries/RiskMath.sol";

/// @title CollateralRiskOracle
/// @notice Per-asset risk state of LRT collateral: discount, its EMA and streaks, NAV drop, backing shortfall and a
/// risk level with hysteresis; plus the bounded store of keeper-pushed model parameters.
/// @dev See `ICollateralRiskOracle` for the full specification.
contract CollateralRiskOracle is ICollateralRiskOracle, AccessControlDefaultAdminRules {
  /// @notice Delay of a DEFAULT_ADMIN_ROLE transfer (two steps: `beginDefaultAdminTransfer` by the admin, then
  /// `acceptDefaultAdminTransfer` by the new admin once the delay has passed; OpenZeppelin
  /// `AccessControlDefaultAdminRules`). The admin may change it, itself with a delay.
  uint48 public constant ADMIN_TRANSFER_DELAY = 1 days;
  /// @inheritdoc ICollateralRiskOracle
  bytes32 public constant RISK_KEEPER_ROLE = keccak256("RISK_KEEPER_ROLE");

  /// @dev Upper bound on feed decimals we normalise (10^36 still fits comfortably in uint256 math).
  uint8 private constant MAX_FEED_DECIMALS = 36;
  /// @dev Number of `ModelParams` fields.
  uint256 private constant PARAM_FIELDS = 11;

  /// @dev AssetConfig plus the feed decimals cached at configuration, without the optional backing feed (3 slots;
  /// `hasBackingFeed` says whether `_backingFeeds[asset]` is to be read, so a poke without one reads 3 slots, not 4).
  struct StoredConfig {
    AggregatorV3Interface marketFeed;
    uint32 marketHeartbeatSeconds;
    uint32 emaHalfLifeSeconds;
    uint32 navHighWindowSeconds;
    IExchangeRateAdapter rateAdapter;
    uint16 navDropToleranceBps;
    uint16 backingShortfallToleranceBps;
    uint16 elevatedDiscountBps;
    uint16 hysteresisBps;
    uint8 marketDecimals;
    uint8 backingDecimals;
    bool hasBackingFeed;
    uint128 minRateWad;
    uint128 maxRateWad;
  }

  /// @dev The optional proof-of-backing feed of an asset, stored as configured (feed may be address(0)).
  struct StoredBacking {
    AggregatorV3Interface feed;
    uint32 heartbeatSeconds;
  }

  mapping(address asset => StoredConfig) private _configs;
  mapping(address asset => StoredBacking) private _backingFeeds;
  /// @dev AssetState packed by hand into three words (see `_writeState`): one SLOAD/SSTORE per word instead of one
  /// read-modify-write per field. Bit layout = Solidity's own packing of AssetState, in declaration order.
  mapping(address asset => uint256[3]) private _stateWords;
  /// @dev ModelParams and its update time in one slot (11 x 16 + 40 bits); updatedAt != 0 <=> bounds are set.
  struct StoredParams {
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
    uint40 updatedAt;
  }

  mapping(address asset => StoredParams) private _params;
  mapping(address asset => ModelParamsBounds) private _bounds;
  address[] private _assets;

  /// @param governance Receives DEFAULT_ADMIN_ROLE.
  constructor(address governance) AccessControlDefaultAdminRules(ADMIN_TRANSFER_DELAY, governance) {}

  // ---------------------------------------------------------------- governance

  /// @inheritdoc ICollateralRiskOracle
  function configureAsset(address asset, AssetConfig calldata config) external onlyRole(DEFAULT_ADMIN_ROLE) {
    _validateConfig(asset, config);
    uint8 marketDecimals = config.marketFeed.decimals();
    uint8 backingDecimals = address(config.backingFeed) == address(0) ? 0 : config.backingFeed.decimals();
    if (marketDecimals > MAX_FEED_DECIMALS) revert OracleInvalidConfig(asset, "marketFeed.decimals");
    if (backingDecimals > MAX_FEED_DECIMALS) revert OracleInvalidConfig(asset, "backingFeed.decimals");
    // A rate source blind to unbacked mints (Kelp's stored rsETHPrice) sees no forged supply: only a backing feed
    // does. (An adapter without IExchangeRateAdapter.BLIND_TO_UNBACKED_MINTS is refused: the call reverts.)
    if (address(config.backingFeed) == address(0) && config.rateAdapter.BLIND_TO_UNBACKED_MINTS()) {
      revert OracleBackingFeedRequired(asset, address(config.rateAdapter));
    }
    StoredParams memory sp = _params[asset];
    if (sp.updatedAt != 0 && config.elevatedDiscountBps >= sp.stressDiscountBps) {
      revert OracleInvalidConfig(asset, "elevatedDiscountBps");
    }
    if (address(_configs[asset].marketFeed) == address(0)) _assets.push(asset);
    _configs[asset] = StoredConfig({
      marketFeed: config.marketFeed,
      marketHeartbeatSeconds: config.marketHeartbeatSeconds,
      emaHalfLifeSeconds: config.emaHalfLifeSeconds,
      navHighWindowSeconds: config.navHighWindowSeconds,
      rateAdapter: config.rateAdapter,
      navDropToleranceBps: config.navDropToleranceBps,
      backingShortfallToleranceBps: config.backingShortfallToleranceBps,
      elevatedDiscountBps: config.elevatedDiscountBps,
      hysteresisBps: config.hysteresisBps,
      marketDecimals: marketDecimals,
      backingDecimals: backingDecimals,
      hasBackingFeed: address(config.backingFeed) != address(0),
      minRateWad: config.minRateWad,
      maxRateWad: config.maxRateWad
    });
    _backingFeeds[asset] = StoredBacking(config.backingFeed, config.backingHeartbeatSeconds);
    emit AssetConfigured(asset, config);
  }

  /// @inheritdoc ICollateralRiskOracle
  function setModelParamsBounds(
    address asset,
    ModelParamsBounds calldata bounds,
    ModelParams calldata params
  ) external onlyRole(DEFAULT_ADMIN_ROLE) {
    _requireConfigured(asset);
    // A zero delay lets the keeper chain updates in one block and walk a field across its range: maxStep void.
    if (bounds.minDelaySeconds == 0) revert OracleInvalidConfig(asset, "minDelaySeconds");
    // Inverted bounds (min > max) are refused here too: no value lies within them.
    _validateParamsShape(asset, params, bounds);
    _bounds[asset] = bounds;
    _params[asset] = _store(params);
    emit ModelParamsBoundsUpdated(asset, bounds, params);
  }

  /// @inheritdoc ICollateralRiskOracle
  function setModelParams(address asset, ModelParams calldata params) external onlyRole(RISK_KEEPER_ROLE) {
    _requireConfigured(asset);
    StoredParams memory stored = _params[asset];
    uint256 last = stored.updatedAt;
    if (last == 0) revert OracleParamsBoundsNotSet(asset);
    ModelParamsBounds memory bounds = _bounds[asset];
    uint256 earliest = last + bounds.minDelaySeconds;
    if (block.timestamp < earliest) revert OracleParamsUpdateTooSoon(asset, last, earliest);
    _validateParamsShape(asset, params, bounds);
    ModelParams memory old = _load(stored);
    uint256[PARAM_FIELDS] memory cur = _fields(old);
    uint256[PARAM_FIELDS] memory req = _fields(params);
    uint256[PARAM_FIELDS] memory step = _fields(bounds.maxStep);
    for (uint256 i = 0; i < PARAM_FIELDS; ++i) {
      uint256 delta = req[i] > cur[i] ? req[i] - cur[i] : cur[i] - req[i];
      if (delta > step[i]) revert OracleParamStepTooLarge(asset, i, cur[i], req[i], step[i]);
    }
    _params[asset] = _store(params);
    emit ModelParamsUpdated(asset, old, params);
  }

  // ---------------------------------------------------------------- poke

  /// @inheritdoc ICollateralRiskOracle
  function poke(address asset) external returns (AssetState memory st) {
    _poke(asset, st);
  }

  /// @inheritdoc ICollateralRiskOracle
  function pokeForHaircut(address asset) external returns (HaircutInputs memory h) {
    AssetState memory st;
    _poke(asset, st);
    StoredParams memory sp = _params[asset];
    h.discountBps = st.discountBps;
    h.emaDiscountBps = st.emaDiscountBps;
    h.navDropBps = st.navDropBps;
    h.level = st.level;
    h.marketStale = st.marketStale;
    h.navDropHaircutMultiplierBps = sp.navDropHaircutMultiplierBps;
    uint16[8] memory k = h.knots;
    (k[0], k[1], k[2], k[3]) = (sp.knot0DiscountBps, sp.knot0HaircutBps, sp.knot1DiscountBps, sp.knot1HaircutBps);
    (k[4], k[5], k[6], k[7]) = (sp.knot2DiscountBps, sp.knot2HaircutBps, sp.knot3DiscountBps, sp.knot3HaircutBps);
  }

  /// @dev The poke itself, writing the resulting state into `st` (the caller's return value: no second copy).
  function _poke(address asset, AssetState memory st) private {
    uint256[3] storage words = _stateWords[asset];
    _readState(words, st);
    // Several pokes in one block: the first one recorded the observation, and the later ones read it without the
    // config (a poked asset is configured: assets are never removed, and an unknown asset's lastPokeAt is 0). A
    // keeper that pokes the oracle first and the haircut module next in the same block keeps each under 150k gas.
    if (st.lastPokeAt == block.timestamp) return;
    StoredConfig memory cfg = _configs[asset];
    if (address(cfg.marketFeed) == address(0)) revert OracleUnknownAsset(asset);

    Observation memory o = _observe(asset, cfg);
    StoredParams storage sp = _params[asset];
    // Without model parameters an asset reaches STRESSED only at a 100% discount.
    uint256 stress = sp.updatedAt != 0 ? sp.stressDiscountBps : RiskMath.BPS;
    RiskLevel oldLevel = st.level;
    _update(st, cfg, o, stress);
    _writeState(words, st);

    emit ObservationRecorded(asset, st.marketPriceWad, st.exchangeRateWad, st.discountBps, st.emaDiscountBps);
    if (st.level != oldLevel) emit RiskLevelChanged(asset, oldLevel, st.level);
  }

  /// @dev One reading of the feeds, normalised to 1e18. Never reverts: a reading that cannot be used is flagged.
  /// @param marketOk The market feed answered a positive price within its heartbeat (else `marketWad` is 0).
  /// @param marketAt The market feed's `updatedAt` (when `marketOk`).
  /// @param rateOk The rate adapter answered a non-zero rate not above `maxRateWad` (else `rateWad` is 0).
  /// @param rateBelowMin The rate is readable but below `minRateWad`: a catastrophic loss, recorded as such.
  /// @param backingOk Without a backing feed: true. With one: it answered within its heartbeat (an answer <= 0 is
  /// a valid reading of zero backing).
  struct Observation {
    uint256 marketWad;
    uint256 rateWad;
    uint256 backingWad;
    uint256 marketAt;
    bool hasBacking;
    bool marketOk;
    bool rateOk;
    bool rateBelowMin;
    bool backingOk;
  }

  function _observe(address asset, StoredConfig memory cfg) private view returns (Observation memory o) {
    (o.marketOk, o.marketWad, o.marketAt) = _readFeed(cfg.marketFeed, cfg.marketHeartbeatSeconds, cfg.marketDecimals);
    if (o.marketWad == 0) o.marketOk = false; // a market answer <= 0 is no price
    try cfg.rateAdapter.getRateWad() returns (uint256 r) {
      // A rate above the upper bound is implausible (it would also poison the recent high): unreadable.
      if (r != 0 && r <= cfg.maxRateWad) {
        o.rateOk = true;
        o.rateWad = r;
        o.rateBelowMin = r < cfg.minRateWad;
      }
    } catch {}
    if (cfg.hasBackingFeed) {
      StoredBacking memory b = _backingFeeds[asset];
      o.hasBacking = true;
      (o.backingOk, o.backingWad, ) = _readFeed(b.feed, b.heartbeatSeconds, cfg.backingDecimals);
      if (o.backingWad > type(uint96).max) o.backingWad = type(uint96).max;
    } else {
      o.backingOk = true;
    }
  }

  /// @dev Applies one observation to the state in memory (no storage access). What a feed could not tell is
  /// carried over from the previous poke; the verdict fails closed: a rate that cannot be read, a rate below
  /// `minRateWad` or a backing feed that cannot be read makes the asset IMPAIRED (cut and freeze, never a pause).
  /// The market feed is not needed for that verdict: a stale market only freezes the discount (`marketStale`).
  function _update(
    AssetState memory st,
    StoredConfig memory cfg,
    Observation memory o,
    uint256 stressBps
  ) private view {
    uint256 nowTs = block.timestamp;
    bool impaired = _judgeLoss(st, cfg, o, nowTs);
    // discount = max(0, 1 - market / rate), rounded up; carried over while the market feed is stale.
    uint256 discount = st.discountBps;
    if (o.marketOk) {
      st.marketPriceWad = uint128(o.marketWad > type(uint128).max ? type(uint128).max : o.marketWad);
      if (st.exchangeRateWad != 0) discount = RiskMath.shortfallBps(o.marketWad, st.exchangeRateWad);
    }
    // Time-weighted EMA of the market's discount as a step function, not of poke timing: the previous observation
    // held from the last poke until the market feed's round that brought the new price (`updatedAt`, clamped to
    // [last poke, now]), the new observation held from then to now. A print seen once after a quiet gap is not
    // credited with the gap (zero-order hold); exact when the keeper pokes on every market-feed round.
    uint256 ema = discount;
    uint256 last = st.lastPokeAt;
    if (last != 0) {
      ema = st.emaDiscountBps;
      uint256 changeAt = nowTs;
      if (o.marketOk) changeAt = o.marketAt < last ? last : (o.marketAt > nowTs ? nowTs : o.marketAt);
      uint256 prevSample = st.discountBps;
      if (changeAt > last && ema != prevSample) {
        ema = RiskMath.emaBps(ema, prevSample, changeAt - last, cfg.emaHalfLifeSeconds);
      }
      if (nowTs > changeAt && ema != discount) {
        ema = RiskMath.emaBps(ema, discount, nowTs - changeAt, cfg.emaHalfLifeSeconds);
      }
    }

    if (discount < cfg.elevatedDiscountBps) st.aboveElevatedSince = 0;
    else if (st.aboveElevatedSince == 0) st.aboveElevatedSince = uint40(nowTs);
    if (discount < stressBps) st.aboveStressedSince = 0;
    else if (st.aboveStressedSince == 0) st.aboveStressedSince = uint40(nowTs);

    RiskLevel newLevel = RiskLevel(
      RiskMath.nextLevel(uint8(st.level), discount, cfg.elevatedDiscountBps, stressBps, cfg.hysteresisBps, impaired)
    );
    if (newLevel != st.level || st.lastPokeAt == 0) {
      st.level = newLevel;
      st.levelSince = uint40(nowTs);
    }

    // Bps values are <= 1e4.
    st.discountBps = uint16(discount);
    st.emaDiscountBps = uint16(ema);
    st.lastPokeAt = uint40(nowTs);
    st.marketStale = !o.marketOk;
  }

  /// @dev The real-loss verdict: records rate, recent high, NAV drop, backing and shortfall into `st` (what a feed
  /// could not tell is kept from the previous poke) and returns whether the asset is IMPAIRED. Fails closed: a rate
  /// that cannot be read or sits below `minRateWad`, or a backing feed that cannot be read, is IMPAIRED.
  function _judgeLoss(
    AssetState memory st,
    StoredConfig memory cfg,
    Observation memory o,
    uint256 nowTs
  ) private pure returns (bool impaired) {
    if (o.rateOk) {
      // Recent high of the exchange rate: raised by any higher rate, reset to the current rate once older than the
      // window (a loss older than the window is accepted as the new normal). rate <= maxRateWad fits uint128.
      if (o.rateWad >= st.recentHighRateWad || nowTs - st.recentHighAt > cfg.navHighWindowSeconds) {
        st.recentHighRateWad = uint128(o.rateWad);
        st.recentHighAt = uint40(nowTs);
      }
      st.exchangeRateWad = uint128(o.rateWad);
      st.navDropBps = uint16(RiskMath.shortfallBps(o.rateWad, st.recentHighRateWad));
    }
    // Backing: an answer <= 0 reads as zero backing (100% shortfall); an unreadable feed keeps the last values.
    if (!o.hasBacking) {
      st.backingPerTokenWad = 0;
      st.backingShortfallBps = 0;
    } else if (o.backingOk) {
      st.backingPerTokenWad = uint96(o.backingWad);
      if (st.exchangeRateWad != 0) {
        st.backingShortfallBps = uint16(RiskMath.shortfallBps(o.backingWad, st.exchangeRateWad));
      }
    }
    impaired =
      !o.rateOk ||
      o.rateBelowMin ||
      !o.backingOk ||
      st.navDropBps > cfg.navDropToleranceBps ||
      st.backingShortfallBps > cfg.backingShortfallToleranceBps;
  }

  // ---------------------------------------------------------------- views

  /// @inheritdoc ICollateralRiskOracle
  function getAssetState(address asset) external view returns (AssetState memory st) {
    _requireConfigured(asset);
    _readState(_stateWords[asset], st);
  }

  /// @inheritdoc ICollateralRiskOracle
  function getAssetConfig(address asset) external view returns (AssetConfig memory c) {
    _requireConfigured(asset);
    StoredConfig memory s = _configs[asset];
    StoredBacking memory b = _backingFeeds[asset];
    c = AssetConfig({
      marketFeed: s.marketFeed,
      marketHeartbeatSeconds: s.marketHeartbeatSeconds,
      emaHalfLifeSeconds: s.emaHalfLifeSeconds,
      navHighWindowSeconds: s.navHighWindowSeconds,
      rateAdapter: s.rateAdapter,
      navDropToleranceBps: s.navDropToleranceBps,
      backingShortfallToleranceBps: s.backingShortfallToleranceBps,
      elevatedDiscountBps: s.elevatedDiscountBps,
      hysteresisBps: s.hysteresisBps,
      backingFeed: b.feed,
      backingHeartbeatSeconds: b.heartbeatSeconds,
      minRateWad: s.minRateWad,
      maxRateWad: s.maxRateWad
    });
  }

  /// @inheritdoc ICollateralRiskOracle
  function getModelParams(address asset) external view returns (ModelParams memory params, uint40 updatedAt) {
    _requireConfigured(asset);
    StoredParams memory sp = _params[asset];
    return (_load(sp), sp.updatedAt);
  }

  /// @inheritdoc ICollateralRiskOracle
  function getModelParamsBounds(address asset) external view returns (ModelParamsBounds memory) {
    _requireConfigured(asset);
    return _bounds[asset];
  }

  /// @inheritdoc ICollateralRiskOracle
  function getRiskLevel(address asset) external view returns (RiskLevel) {
    _requireConfigured(asset);
    AssetState memory st;
    _readState(_stateWords[asset], st);
    return st.level;
  }

  /// @inheritdoc ICollateralRiskOracle
  function isAssetConfigured(address asset) external view returns (bool) {
    return address(_configs[asset].marketFeed) != address(0);
  }

  /// @inheritdoc ICollateralRiskOracle
  function getAssets() external view returns (address[] memory) {
    return _assets;
  }

  /// @inheritdoc ICollateralRiskOracle
  function haircutForDiscount(address asset, uint256 discountBps) external view returns (uint256) {
    _requireConfigured(asset);
    return RiskMath.curveHaircutBps(discountBps, _knots(_load(_params[asset])));
  }

  // ---------------------------------------------------------------- internal

  function _requireConfigured(address asset) private view {
    if (address(_configs[asset].marketFeed) == address(0)) revert OracleUnknownAsset(asset);
  }

  function _validateConfig(address asset, AssetConfig calldata c) private pure {
    if (asset == address(0)) revert OracleInvalidConfig(asset, "asset");
    if (address(c.marketFeed) == address(0)) revert OracleInvalidConfig(asset, "marketFeed");
    if (address(c.rateAdapter) == address(0)) revert OracleInvalidConfig(asset, "rateAdapter");
    if (c.marketHeartbeatSeconds == 0) revert OracleInvalidConfig(asset, "marketHeartbeatSeconds");
    if (address(c.backingFeed) != address(0) && c.backingHeartbeatSeconds == 0) {
      revert OracleInvalidConfig(asset, "backingHeartbeatSeconds");
    }
    if (c.minRateWad == 0 || c.minRateWad > c.maxRateWad) revert OracleInvalidConfig(asset, "minRateWad");
    if (c.emaHalfLifeSeconds == 0) revert OracleInvalidConfig(asset, "emaHalfLifeSeconds");
    if (c.navHighWindowSeconds == 0) revert OracleInvalidConfig(asset, "navHighWindowSeconds");
    if (c.navDropToleranceBps >= RiskMath.BPS) revert OracleInvalidConfig(asset, "navDropToleranceBps");
    if (c.backingShortfallToleranceBps >= RiskMath.BPS) {
      revert OracleInvalidConfig(asset, "backingShortfallToleranceBps");
    }
    if (c.elevatedDiscountBps == 0 || c.elevatedDiscountBps >= RiskMath.BPS) {
      revert OracleInvalidConfig(asset, "elevatedDiscountBps");
    }
    if (c.hysteresisBps >= c.elevatedDiscountBps) revert OracleInvalidConfig(asset, "hysteresisBps");
  }

  /// @dev Bounds per field, then the cross-field rules: a valid curve, stress above the elevated threshold, a
  /// non-zero trip threshold.
  function _validateParamsShape(
    address asset,
    ModelParams calldata params,
    ModelParamsBounds memory bounds
  ) private view {
    uint256[PARAM_FIELDS] memory v = _fields(params);
    uint256[PARAM_FIELDS] memory lo = _fields(bounds.min);
    uint256[PARAM_FIELDS] memory hi = _fields(bounds.max);
    for (uint256 i = 0; i < PARAM_FIELDS; ++i) {
      if (v[i] < lo[i] || v[i] > hi[i]) revert OracleParamOutOfBounds(asset, i, v[i], lo[i], hi[i]);
    }
    if (!RiskMath.isValidCurve(_knots(params))) revert OracleInvalidHaircutCurve(asset);
    if (params.tripDiscountBps == 0) revert OracleInvalidConfig(asset, "tripDiscountBps");
    if (params.stressDiscountBps <= _configs[asset].elevatedDiscountBps) {
      revert OracleInvalidConfig(asset, "stressDiscountBps");
    }
  }

  function _store(ModelParams calldata p) private view returns (StoredParams memory) {
    return
      StoredParams(
        p.tripDiscountBps,
        p.stressDiscountBps,
        p.navDropHaircutMultiplierBps,
        p.knot0DiscountBps,
        p.knot0HaircutBps,
        p.knot1DiscountBps,
        p.knot1HaircutBps,
        p.knot2DiscountBps,
        p.knot2HaircutBps,
        p.knot3DiscountBps,
        p.knot3HaircutBps,
        uint40(block.timestamp)
      );
  }

  function _load(StoredParams memory s) private pure returns (ModelParams memory) {
    return
      ModelParams(
        s.tripDiscountBps,
        s.stressDiscountBps,
        s.navDropHaircutMultiplierBps,
        s.knot0DiscountBps,
        s.knot0HaircutBps,
        s.knot1DiscountBps,
        s.knot1HaircutBps,
        s.knot2DiscountBps,
        s.knot2HaircutBps,
        s.knot3DiscountBps,
        s.knot3HaircutBps
      );
  }

  /// @dev word0: marketPriceWad | exchangeRateWad << 128
  ///      word1: recentHighRateWad | recentHighAt << 128 | lastPokeAt << 168 | discountBps << 208 |
  ///             emaDiscountBps << 224 | navDropBps << 240
  ///      word2: backingPerTokenWad | levelSince << 96 | aboveElevatedSince << 136 | aboveStressedSince << 176 |
  ///             backingShortfallBps << 216 | level << 232 | marketStale << 240
  function _writeState(uint256[3] storage ref, AssetState memory st) private {
    ref[0] = uint256(st.marketPriceWad) | (uint256(st.exchangeRateWad) << 128);
    ref[1] =
      uint256(st.recentHighRateWad) |
      (uint256(st.recentHighAt) << 128) |
      (uint256(st.lastPokeAt) << 168) |
      (uint256(st.discountBps) << 208) |
      (uint256(st.emaDiscountBps) << 224) |
      (uint256(st.navDropBps) << 240);
    ref[2] =
      uint256(st.backingPerTokenWad) |
      (uint256(st.levelSince) << 96) |
      (uint256(st.aboveElevatedSince) << 136) |
      (uint256(st.aboveStressedSince) << 176) |
      (uint256(st.backingShortfallBps) << 216) |
      (uint256(uint8(st.level)) << 232) |
      (st.marketStale ? uint256(1) << 240 : 0);
  }

  /// @dev Inverse of `_writeState`, written into `st`.
  function _readState(uint256[3] storage ref, AssetState memory st) private view {
    uint256 w0 = ref[0];
    uint256 w1 = ref[1];
    uint256 w2 = ref[2];
    st.marketPriceWad = uint128(w0);
    st.exchangeRateWad = uint128(w0 >> 128);
    st.recentHighRateWad = uint128(w1);
    st.recentHighAt = uint40(w1 >> 128);
    st.lastPokeAt = uint40(w1 >> 168);
    st.discountBps = uint16(w1 >> 208);
    st.emaDiscountBps = uint16(w1 >> 224);
    st.navDropBps = uint16(w1 >> 240);
    st.backingPerTokenWad = uint96(w2);
    st.levelSince = uint40(w2 >> 96);
    st.aboveElevatedSince = uint40(w2 >> 136);
    st.aboveStressedSince = uint40(w2 >> 176);
    st.backingShortfallBps = uint16(w2 >> 216);
    st.level = RiskLevel(uint8(w2 >> 232));
    st.marketStale = (w2 >> 240) & 1 == 1;
  }

  /// @dev The fields of a ModelParams in declaration order (the field index used in errors).
  function _fields(ModelParams memory p) private pure returns (uint256[PARAM_FIELDS] memory f) {
    f[0] = p.tripDiscountBps;
    f[1] = p.stressDiscountBps;
    f[2] = p.navDropHaircutMultiplierBps;
    f[3] = p.knot0DiscountBps;
    f[4] = p.knot0HaircutBps;
    f[5] = p.knot1DiscountBps;
    f[6] = p.knot1HaircutBps;
    f[7] = p.knot2DiscountBps;
    f[8] = p.knot2HaircutBps;
    f[9] = p.knot3DiscountBps;
    f[10] = p.knot3HaircutBps;
  }

  function _knots(ModelParams memory p) private pure returns (uint16[8] memory k) {
    k = [
      p.knot0DiscountBps,
      p.knot0HaircutBps,
      p.knot1DiscountBps,
      p.knot1HaircutBps,
      p.knot2DiscountBps,
      p.knot2HaircutBps,
      p.knot3DiscountBps,
      p.knot3HaircutBps
    ];
  }

  /// @dev Reads a Chainlink-compatible feed, never reverting: `ok` = it answered within the heartbeat (a feed
  /// that reverts or is stale is not ok); `valueWad` = the answer normalised to 1e18, 0 when the answer is <= 0
  /// (the caller decides what a zero means); `updatedAt` as reported.
  function _readFeed(
    AggregatorV3Interface feed,
    uint256 heartbeatSeconds,
    uint8 decimals
  ) private view returns (bool ok, uint256 valueWad, uint256 updatedAt) {
    // A feed that reverts is "not ok", never a revert here (feeds are checked for code at configuration).
    int256 answer;
    try feed.latestRoundData() returns (uint80, int256 a, uint256, uint256 u, uint80) {
      (answer, updatedAt) = (a, u);
    } catch {
      return (false, 0, 0);
    }
    if (updatedAt < block.timestamp && block.timestamp - updatedAt > heartbeatSeconds) return (false, 0, updatedAt);
    ok = true;
    if (answer <= 0) return (ok, 0, updatedAt);
    // answer > 0 here; decimals <= 36 so the scale factor fits; answers above 2^200 (no real price) are clamped
    // instead of overflowing, so a poke never reverts on a feed value.
    uint256 v = uint256(answer);
    if (v > 2 ** 200) v = 2 ** 200;
    if (decimals == 18) return (ok, v, updatedAt);
    if (decimals < 18) return (ok, v * 10 ** (18 - decimals), updatedAt);
    return (ok, v / 10 ** (decimals - 18), updatedAt);
  }
}
