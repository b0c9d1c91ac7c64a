// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IPoolAddressesProvider} from "@aave/core-v3/contracts/interfaces/IPoolAddressesProvider.sol";
import {IPriceOracleSentinel} from "@aave/core-v3/contracts/interfaces/IPriceOracleSentinel.sol";
import {IACLManager} from "@aave/core-v3/contracts/interfaces/IACLManager.sol";
import {IPriceOracleGetter} from "@aave/core-v3/contracts/interfaces/IPriceOracleGetter.sol";
import {ILiquidationPauseGuard} from "../interfaces/ILiquidationPauseGuard.sol";
import {ICollateralRiskOracle} from "../interfaces/ICollateralRiskOracle.sol";
import {AggregatorV3Interface} from "../interfaces/external/AggregatorV3Interface.sol";

/// @title LiquidationPauseGuard
/// @notice Aave v3.0.2-v3.6 `IPriceOracleSentinel` with the L2 sequencer-feed behaviour plus bounded, condition-
/// triggered per-asset liquidation pauses for LRT liquidity depegs.
/// @dev See `ILiquidationPauseGuard` for the full specification.
contract LiquidationPauseGuard is ILiquidationPauseGuard, AccessControlDefaultAdminRules {
  /// @notice Delay of a DEFAULT_ADMIN_ROLE transfer (two steps: `beginDefaultAdminTransfer` by the admin, then
  /// `acceptDefaultAdminTransfer` by the new admin once the delay has passed; OpenZeppelin
  /// `AccessControlDefaultAdminRules`). The admin may change it, itself with a delay.
  uint48 public constant ADMIN_TRANSFER_DELAY = 1 days;
  /// @inheritdoc ILiquidationPauseGuard
  bytes32 public constant GUARDIAN_ROLE = keccak256("GUARDIAN_ROLE");
  /// @notice Hard ceiling on any asset's maxPauseSeconds.
  uint32 public constant MAX_PAUSE_CEILING_SECONDS = 3 days;
  /// @notice Hard ceiling on any asset's postPauseGraceSeconds.
  uint32 public constant MAX_GRACE_CEILING_SECONDS = 1 days;
  /// @notice Maximum number of watched assets (bounds the aggregate recomputation on release).
  uint256 public constant MAX_ASSETS = 32;
  /// @inheritdoc ILiquidationPauseGuard
  uint256 public constant PRICING_TOLERANCE_BPS = 1_00;
  uint256 private constant BPS = 1e4;
  /// @notice Pauses remembered per asset for the rolling cap.
  uint256 public constant HISTORY_LENGTH = 8;
  /// @notice Market-wide blocks remembered for the market-wide rolling cap (contiguous blocks merge into one).
  uint256 public constant MARKET_HISTORY_LENGTH = 16;
  /// @notice Market-wide limits at construction: at most 13 h of blocked liquidations per rolling 7 days (two 6 h
  /// pauses with 30 min grace: several LRTs together block no longer than one alone could).
  uint32 public constant DEFAULT_MARKET_WINDOW_SECONDS = 7 days;
  uint32 public constant DEFAULT_MARKET_MAX_BLOCKED_SECONDS = 13 hours;
  /// @notice Longest sequencer grace period (2^24 - 1 seconds, ~194 days; Aave uses 1 hour).
  uint256 public constant MAX_SEQUENCER_GRACE_SECONDS = type(uint24).max;

  /// @inheritdoc ILiquidationPauseGuard
  ICollateralRiskOracle public immutable ORACLE;
  IPoolAddressesProvider private immutable _addressesProvider;

  /// @dev The hot slot, read by every borrow and liquidation: sequencer oracle, its grace period (uint24: up to
  /// 194 days), the market-wide aggregate (uint32 timestamps: valid until 2106) and the index of the market's latest
  /// history record (here, not beside the market limits: every trip rewrites this slot anyway, so moving the ring
  /// head costs no extra slot write).
  struct Sentinel {
    address sequencerOracle;
    uint24 gracePeriodSeconds;
    uint32 borrowBlockedUntil;
    uint32 liquidationBlockedUntil;
    uint8 marketHistoryHead;
  }

  /// @dev An asset's PauseState and the index of its latest history record, in one slot.
  struct StoredPause {
    uint40 pausedAt;
    uint40 pausedUntil;
    uint40 liquidationBlockedUntil;
    TripReason reason;
    uint8 historyHead;
  }

  /// @dev MarketLimits (the ring head is in the Sentinel slot).
  struct StoredMarket {
    uint32 windowSeconds;
    uint32 maxBlockedSecondsPerWindow;
  }

  /// @dev History rings: blocks (start, seconds) packed 4 to a word, record i in word i / 4 at bit 64 * (i % 4) as
  /// startAt (uint32 seconds, valid until 2106 like the sentinel's timestamps) | durationSeconds (uint32) << 32; a
  /// zero duration is an empty record. A trip reads 2 words for its asset and 4 for the market (not 8 + 16 slots).
  uint256 private constant RECORDS_PER_WORD = 4;
  uint256 private constant RECORD_BITS = 64;
  /// @dev A ring word that holds no block yet: record 0 = (startAt 1 s, durationSeconds 0), an empty record (zero
  /// duration: counted as nothing, never merged, never refused), records 1-3 zero. Written at configuration so a
  /// trip's ring writes are nonzero -> nonzero (2,900 gas, not 20,000: EIP-2200; Uniswap v3's
  /// `increaseObservationCardinalityNext`). A word never returns to zero afterwards: every record written has a
  /// real start (> 1).
  uint256 private constant EMPTY_RING_WORD = 1;

  Sentinel private _sentinel;
  mapping(address asset => GuardConfig) private _configs;
  mapping(address asset => StoredPause) private _pauses;
  mapping(address asset => uint256[HISTORY_LENGTH / RECORDS_PER_WORD]) private _history;
  address[] private _assets;
  StoredMarket private _market;
  uint256[MARKET_HISTORY_LENGTH / RECORDS_PER_WORD] private _marketHistory;

  /// @param provider Aave addresses provider (ACL manager for the sentinel setters).
  /// @param oracle The risk oracle.
  /// @param governance Receives DEFAULT_ADMIN_ROLE.
  /// @param sequencerOracle L2 sequencer-uptime feed, or address(0) on L1.
  /// @param gracePeriodSeconds Sequencer grace period (Aave semantics).
  constructor(
    IPoolAddressesProvider provider,
    ICollateralRiskOracle oracle,
    address governance,
    address sequencerOracle,
    uint256 gracePeriodSeconds
  ) AccessControlDefaultAdminRules(ADMIN_TRANSFER_DELAY, governance) {
    _addressesProvider = provider;
    ORACLE = oracle;
    if (gracePeriodSeconds > MAX_SEQUENCER_GRACE_SECONDS) revert GuardInvalidConfig(address(0), "gracePeriod");
    _sentinel.sequencerOracle = sequencerOracle;
    _sentinel.gracePeriodSeconds = uint24(gracePeriodSeconds);
    _market = StoredMarket(DEFAULT_MARKET_WINDOW_SECONDS, DEFAULT_MARKET_MAX_BLOCKED_SECONDS);
    // The market ring's words, pre-written once at deployment (see EMPTY_RING_WORD).
    for (uint256 i = 0; i < MARKET_HISTORY_LENGTH / RECORDS_PER_WORD; ++i) _marketHistory[i] = EMPTY_RING_WORD;
    emit MarketLimitsUpdated(
      MarketLimits(0, 0),
      MarketLimits(DEFAULT_MARKET_WINDOW_SECONDS, DEFAULT_MARKET_MAX_BLOCKED_SECONDS)
    );
  }

  // ---------------------------------------------------------------- IPriceOracleSentinel

  /// @inheritdoc IPriceOracleSentinel
  function ADDRESSES_PROVIDER() external view returns (IPoolAddressesProvider) {
    return _addressesProvider;
  }

  /// @notice Liquidations allowed unless a watched asset's pause or post-pause grace is active, or (with a
  /// sequencer feed) the sequencer is down or within its grace period.
  /// @dev One SLOAD when no sequencer feed is set.
  function isLiquidationAllowed() external view returns (bool) {
    Sentinel storage s = _sentinel;
    (uint256 until, address seq, uint256 grace) = (s.liquidationBlockedUntil, s.sequencerOracle, s.gracePeriodSeconds);
    if (block.timestamp < until) return false;
    return seq == address(0) || _isUpAndGracePeriodPassed(seq, grace);
  }

  /// @notice Borrowing allowed unless a watched asset is paused, or (with a sequencer feed) the sequencer is down
  /// or within its grace period.
  function isBorrowAllowed() external view returns (bool) {
    Sentinel storage s = _sentinel;
    (uint256 until, address seq, uint256 grace) = (s.borrowBlockedUntil, s.sequencerOracle, s.gracePeriodSeconds);
    if (block.timestamp < until) return false;
    return seq == address(0) || _isUpAndGracePeriodPassed(seq, grace);
  }

  /// @notice Pool admin only (Aave ACL).
  function setSequencerOracle(address newSequencerOracle) external {
    if (!_acl().isPoolAdmin(msg.sender)) revert GuardCallerNotAaveAdmin(msg.sender);
    _sentinel.sequencerOracle = newSequencerOracle;
    emit SequencerOracleUpdated(newSequencerOracle);
  }

  /// @notice Risk or pool admin only (Aave ACL). At most MAX_SEQUENCER_GRACE_SECONDS.
  function setGracePeriod(uint256 newGracePeriod) external {
    IACLManager acl = _acl();
    if (!acl.isRiskAdmin(msg.sender) && !acl.isPoolAdmin(msg.sender)) revert GuardCallerNotAaveAdmin(msg.sender);
    if (newGracePeriod > MAX_SEQUENCER_GRACE_SECONDS) revert GuardInvalidConfig(address(0), "gracePeriod");
    _sentinel.gracePeriodSeconds = uint24(newGracePeriod);
    emit GracePeriodUpdated(newGracePeriod);
  }

  /// @inheritdoc IPriceOracleSentinel
  function getSequencerOracle() external view returns (address) {
    return _sentinel.sequencerOracle;
  }

  /// @inheritdoc IPriceOracleSentinel
  function getGracePeriod() external view returns (uint256) {
    return _sentinel.gracePeriodSeconds;
  }

  // ---------------------------------------------------------------- governance

  /// @inheritdoc ILiquidationPauseGuard
  function configureAsset(address asset, GuardConfig calldata config) external onlyRole(DEFAULT_ADMIN_ROLE) {
    if (asset == address(0)) revert GuardInvalidConfig(asset, "asset");
    if (config.maxPauseSeconds == 0 || config.maxPauseSeconds > MAX_PAUSE_CEILING_SECONDS) {
      revert GuardInvalidConfig(asset, "maxPauseSeconds");
    }
    if (config.postPauseGraceSeconds > MAX_GRACE_CEILING_SECONDS) {
      revert GuardInvalidConfig(asset, "postPauseGraceSeconds");
    }
    // One trip blocks liquidations for pause + grace: the next trip may start only after that (no chaining).
    uint256 blockSeconds = uint256(config.maxPauseSeconds) + config.postPauseGraceSeconds;
    if (config.cooldownSeconds <= blockSeconds) revert GuardInvalidConfig(asset, "cooldownSeconds");
    if (
      config.windowSeconds < blockSeconds ||
      uint256(config.windowSeconds) + blockSeconds > HISTORY_LENGTH * uint256(config.cooldownSeconds)
    ) revert GuardInvalidConfig(asset, "windowSeconds");
    if (config.maxPausedSecondsPerWindow < blockSeconds || config.maxPausedSecondsPerWindow >= config.windowSeconds) {
      revert GuardInvalidConfig(asset, "maxPausedSecondsPerWindow");
    }
    if (!ORACLE.isAssetConfigured(asset)) revert GuardInvalidConfig(asset, "oracle");
    _verifyPricing(asset, config);
    if (_configs[asset].maxPauseSeconds == 0) {
      if (_assets.length >= MAX_ASSETS) revert GuardTooManyAssets(MAX_ASSETS);
      _assets.push(asset);
      // A new (or removed, hence deleted) asset: its pause slot and ring words are pre-written here, in calm time,
      // so its first trip pays rewrites only. The latest record is the ring's last (an empty one): the first block
      // goes to record 0, as a ring starting anywhere would (only the records' contents are ever read).
      _pauses[asset].historyHead = uint8(HISTORY_LENGTH - 1);
      uint256[HISTORY_LENGTH / RECORDS_PER_WORD] storage h = _history[asset];
      for (uint256 i = 0; i < HISTORY_LENGTH / RECORDS_PER_WORD; ++i) h[i] = EMPTY_RING_WORD;
    }
    _configs[asset] = config;
    emit GuardConfigured(asset, config);
  }

  /// @inheritdoc ILiquidationPauseGuard
  function removeAsset(address asset) external onlyRole(DEFAULT_ADMIN_ROLE) {
    if (_configs[asset].maxPauseSeconds == 0) revert GuardAssetNotEnabled(asset);
    uint256 n = _assets.length;
    for (uint256 i = 0; i < n; ++i) {
      if (_assets[i] == asset) {
        _assets[i] = _assets[n - 1];
        _assets.pop();
        break;
      }
    }
    delete _configs[asset];
    delete _pauses[asset];
    delete _history[asset];
    emit GuardAssetRemoved(asset);
    _recomputeAggregate(block.timestamp);
  }

  /// @inheritdoc ILiquidationPauseGuard
  function setMarketLimits(MarketLimits calldata limits) external onlyRole(DEFAULT_ADMIN_ROLE) {
    if (limits.windowSeconds == 0) revert GuardInvalidMarketLimits("windowSeconds");
    if (limits.maxBlockedSecondsPerWindow == 0 || limits.maxBlockedSecondsPerWindow >= limits.windowSeconds) {
      revert GuardInvalidMarketLimits("maxBlockedSecondsPerWindow");
    }
    StoredMarket memory m = _market;
    emit MarketLimitsUpdated(MarketLimits(m.windowSeconds, m.maxBlockedSecondsPerWindow), limits);
    _market = StoredMarket(limits.windowSeconds, limits.maxBlockedSecondsPerWindow);
  }

  // ---------------------------------------------------------------- trip / release

  /// @inheritdoc ILiquidationPauseGuard
  function trip(address asset) external {
    GuardConfig memory cfg = _enabledConfig(asset);
    if (cfg.pricing != CollateralPricing.MARKET) revert GuardPauseCannotHelp(asset, cfg.pricing);
    ICollateralRiskOracle.AssetState memory st = ORACLE.poke(asset);
    if (st.level == ICollateralRiskOracle.RiskLevel.IMPAIRED) revert GuardAssetImpaired(asset);
    if (st.marketStale) revert GuardMarketFeedStale(asset);
    (ICollateralRiskOracle.ModelParams memory params, uint40 paramsUpdatedAt) = ORACLE.getModelParams(asset);
    // Before governance sets the params the threshold reads 0: a trip at any discount. Refuse instead.
    if (paramsUpdatedAt == 0) revert GuardModelParamsNotSet(asset);
    if (st.discountBps < params.tripDiscountBps) {
      revert GuardDiscountBelowTrip(asset, st.discountBps, params.tripDiscountBps);
    }
    _pause(asset, cfg, cfg.maxPauseSeconds, TripReason.DISCOUNT);
  }

  /// @inheritdoc ILiquidationPauseGuard
  function guardianTrip(address asset, uint32 durationSeconds) external onlyRole(GUARDIAN_ROLE) {
    GuardConfig memory cfg = _enabledConfig(asset);
    if (cfg.pricing != CollateralPricing.MARKET) revert GuardPauseCannotHelp(asset, cfg.pricing);
    if (durationSeconds == 0 || durationSeconds > cfg.maxPauseSeconds) {
      revert GuardInvalidDuration(asset, durationSeconds, cfg.maxPauseSeconds);
    }
    ICollateralRiskOracle.AssetState memory st = ORACLE.poke(asset);
    if (st.level == ICollateralRiskOracle.RiskLevel.IMPAIRED) revert GuardAssetImpaired(asset);
    _pause(asset, cfg, durationSeconds, TripReason.GUARDIAN);
  }

  /// @inheritdoc ILiquidationPauseGuard
  function release(address asset) external {
    StoredPause memory p = _pauses[asset];
    uint256 nowTs = block.timestamp;
    if (nowTs >= p.liquidationBlockedUntil) revert GuardNotPaused(asset);
    bool impaired;
    if (hasRole(GUARDIAN_ROLE, msg.sender)) {
      // The guardian's release does not depend on the oracle. During a pause the grace runs from now (never beyond
      // the original end); during the grace itself the release ends the grace.
      uint256 graceEnd = nowTs < p.pausedUntil ? nowTs + _configs[asset].postPauseGraceSeconds : nowTs;
      if (graceEnd < p.liquidationBlockedUntil) p.liquidationBlockedUntil = uint40(graceEnd);
    } else {
      impaired = ORACLE.poke(asset).level == ICollateralRiskOracle.RiskLevel.IMPAIRED;
      if (!impaired) revert GuardReleaseNotAllowed(asset, p.pausedUntil);
      p.liquidationBlockedUntil = uint40(nowTs);
    }
    if (nowTs < p.pausedUntil) p.pausedUntil = uint40(nowTs);
    // The asset's last record is its block (pause + grace): shortened to what was really blocked.
    uint256[HISTORY_LENGTH / RECORDS_PER_WORD] storage h = _history[asset];
    uint256 w = p.historyHead / RECORDS_PER_WORD;
    h[w] = _withDuration(h[w], p.historyHead, p.liquidationBlockedUntil - p.pausedAt);
    _pauses[asset] = p;
    emit PauseReleased(asset, msg.sender, impaired, p.liquidationBlockedUntil);
    _recomputeAggregate(nowTs);
  }

  // ---------------------------------------------------------------- views

  /// @inheritdoc ILiquidationPauseGuard
  function isAssetPaused(address asset) external view returns (bool) {
    return block.timestamp < _pauses[asset].pausedUntil;
  }

  /// @inheritdoc ILiquidationPauseGuard
  function isAssetLiquidationBlocked(address asset) external view returns (bool) {
    return block.timestamp < _pauses[asset].liquidationBlockedUntil;
  }

  /// @inheritdoc ILiquidationPauseGuard
  function getGuardConfig(address asset) external view returns (GuardConfig memory) {
    return _configs[asset];
  }

  /// @inheritdoc ILiquidationPauseGuard
  function getPauseState(address asset) external view returns (PauseState memory) {
    StoredPause memory p = _pauses[asset];
    return PauseState(p.pausedAt, p.pausedUntil, p.liquidationBlockedUntil, p.reason);
  }

  /// @inheritdoc ILiquidationPauseGuard
  function pausedSecondsInWindow(address asset) external view returns (uint256) {
    uint256 w = _configs[asset].windowSeconds;
    uint256[HISTORY_LENGTH / RECORDS_PER_WORD] memory h = _history[asset];
    return _overlapWords(h, block.timestamp > w ? block.timestamp - w : 0, type(uint256).max);
  }

  /// @inheritdoc ILiquidationPauseGuard
  function getMarketLimits() external view returns (MarketLimits memory) {
    StoredMarket memory m = _market;
    return MarketLimits(m.windowSeconds, m.maxBlockedSecondsPerWindow);
  }

  /// @inheritdoc ILiquidationPauseGuard
  function marketBlockedSecondsInWindow() external view returns (uint256) {
    uint256 w = _market.windowSeconds;
    uint256[MARKET_HISTORY_LENGTH / RECORDS_PER_WORD] memory h = _marketHistory;
    return _overlapWords(h, block.timestamp > w ? block.timestamp - w : 0, type(uint256).max);
  }

  /// @inheritdoc ILiquidationPauseGuard
  function nextTripAt(address asset) public view returns (uint256) {
    StoredPause memory p = _pauses[asset];
    if (p.pausedAt == 0) return 0;
    return uint256(p.pausedAt) + _configs[asset].cooldownSeconds;
  }

  /// @inheritdoc ILiquidationPauseGuard
  function getAggregate() external view returns (uint40 borrowBlockedUntil, uint40 liquidationBlockedUntil) {
    Sentinel memory s = _sentinel;
    return (s.borrowBlockedUntil, s.liquidationBlockedUntil);
  }

  /// @inheritdoc ILiquidationPauseGuard
  function getAssets() external view returns (address[] memory) {
    return _assets;
  }

  // ---------------------------------------------------------------- internal

  /// @dev The trip path's config: the limits, `enabled` and `pricing` (the struct's first slot); `pricingReference`
  /// (its second slot, read only at configuration) is left zero.
  function _enabledConfig(address asset) private view returns (GuardConfig memory cfg) {
    GuardConfig storage s = _configs[asset];
    cfg.maxPauseSeconds = s.maxPauseSeconds;
    cfg.cooldownSeconds = s.cooldownSeconds;
    cfg.windowSeconds = s.windowSeconds;
    cfg.maxPausedSecondsPerWindow = s.maxPausedSecondsPerWindow;
    cfg.postPauseGraceSeconds = s.postPauseGraceSeconds;
    cfg.enabled = s.enabled;
    cfg.pricing = s.pricing;
    if (!cfg.enabled) revert GuardAssetNotEnabled(asset);
  }

  /// @dev Validate (not paused, cooldown, per-asset and market-wide rolling caps), then apply: records, per-asset
  /// state, aggregate.
  function _pause(address asset, GuardConfig memory cfg, uint256 duration, TripReason reason) private {
    StoredPause memory p = _pauses[asset];
    uint256 nowTs = block.timestamp;
    if (nowTs < p.pausedUntil) revert GuardAlreadyPaused(asset, p.pausedUntil);
    if (p.pausedAt != 0 && nowTs < uint256(p.pausedAt) + cfg.cooldownSeconds) {
      revert GuardCooldownActive(asset, uint256(p.pausedAt) + cfg.cooldownSeconds);
    }
    uint256 end = nowTs + duration;
    uint256 liqUntil = end + cfg.postPauseGraceSeconds;
    uint256 head = _recordAssetBlock(asset, cfg, p.historyHead, nowTs, liqUntil);
    Sentinel memory s = _sentinel;
    _recordMarketBlock(s, nowTs, liqUntil);

    _pauses[asset] = StoredPause({
      pausedAt: uint40(nowTs),
      pausedUntil: uint40(end),
      liquidationBlockedUntil: uint40(liqUntil),
      reason: reason,
      historyHead: uint8(head)
    });
    emit PauseTripped(asset, reason, end, liqUntil);

    if (end > s.borrowBlockedUntil) s.borrowBlockedUntil = uint32(end);
    if (liqUntil > s.liquidationBlockedUntil) s.liquidationBlockedUntil = uint32(liqUntil);
    _sentinel = s;
    emit AggregateUpdated(s.borrowBlockedUntil, s.liquidationBlockedUntil);
  }

  /// @dev Per-asset cap: blocked seconds = pause + grace. The blocked time in a window of length W ending at t is
  /// non-decreasing in t over the new block, so the worst window ends when the new block ends: past blocks
  /// overlapping [liqUntil - W, now] plus the new block. (The cooldown exceeds pause + grace: the asset's own
  /// previous block has ended.) The new block takes the oldest record's place (the configuration bounds the window
  /// to HISTORY_LENGTH cooldowns: it has left the window); returns its index.
  function _recordAssetBlock(
    address asset,
    GuardConfig memory cfg,
    uint256 lastHead,
    uint256 nowTs,
    uint256 liqUntil
  ) private returns (uint256 head) {
    uint256 blockSeconds = liqUntil - nowTs;
    uint256[HISTORY_LENGTH / RECORDS_PER_WORD] memory h = _history[asset];
    uint256 used = _overlapWords(h, liqUntil > cfg.windowSeconds ? liqUntil - cfg.windowSeconds : 0, nowTs);
    if (used + blockSeconds > cfg.maxPausedSecondsPerWindow) {
      revert GuardWindowCapExceeded(asset, used, blockSeconds, cfg.maxPausedSecondsPerWindow);
    }
    head = (lastHead + 1) % HISTORY_LENGTH;
    uint256 w = head / RECORDS_PER_WORD;
    _history[asset][w] = _withRecord(h[w], head, nowTs, blockSeconds);
  }

  /// @dev Market-wide cap: the new block adds [max(now, current aggregate end), liqUntil] to the market's blocked
  /// time (borrowing is blocked only within it). As for one asset, the worst window ends at liqUntil: from any
  /// earlier end t >= now the window loses (liqUntil - t) blocked seconds and gains at most as many old ones.
  /// Contiguous blocks merge into one record; a trip that would overwrite a record still inside the window is
  /// refused (counted as over the cap) rather than forgetting it. `s` is the caller's copy of the sentinel slot
  /// (current aggregate end; the ring head, moved here, is written with the new aggregate by the caller).
  function _recordMarketBlock(Sentinel memory s, uint256 nowTs, uint256 liqUntil) private {
    uint256 from = s.liquidationBlockedUntil > nowTs ? s.liquidationBlockedUntil : nowTs;
    if (liqUntil <= from) return;
    StoredMarket memory m = _market;
    uint256[MARKET_HISTORY_LENGTH / RECORDS_PER_WORD] memory h = _marketHistory;
    uint256 added = liqUntil - from;
    uint256 windowStart = liqUntil > m.windowSeconds ? liqUntil - m.windowSeconds : 0;
    uint256 used = _overlapWords(h, windowStart, type(uint256).max);
    if (used + added > m.maxBlockedSecondsPerWindow) {
      revert GuardMarketCapExceeded(used, added, m.maxBlockedSecondsPerWindow);
    }
    uint256 head = s.marketHistoryHead;
    uint256 w = head / RECORDS_PER_WORD;
    {
      (uint256 lastStart, uint256 lastSeconds) = _recordAt(h[w], head);
      if (lastSeconds != 0 && lastStart + lastSeconds == from) {
        _marketHistory[w] = _withDuration(h[w], head, liqUntil - lastStart);
        return;
      }
    }
    head = (head + 1) % MARKET_HISTORY_LENGTH;
    w = head / RECORDS_PER_WORD;
    {
      (uint256 oldestStart, uint256 oldestSeconds) = _recordAt(h[w], head);
      if (oldestSeconds != 0 && oldestStart + oldestSeconds > windowStart) {
        revert GuardMarketCapExceeded(used, added, m.maxBlockedSecondsPerWindow);
      }
    }
    s.marketHistoryHead = uint8(head);
    _marketHistory[w] = _withRecord(h[w], head, from, added);
  }

  /// @dev Seconds of the remembered blocks inside [from, to].
  function _overlapWords(
    uint256[HISTORY_LENGTH / RECORDS_PER_WORD] memory words,
    uint256 from,
    uint256 to
  ) private pure returns (uint256 total) {
    for (uint256 i = 0; i < words.length; ++i) total += _overlapWord(words[i], from, to);
  }

  function _overlapWords(
    uint256[MARKET_HISTORY_LENGTH / RECORDS_PER_WORD] memory words,
    uint256 from,
    uint256 to
  ) private pure returns (uint256 total) {
    for (uint256 i = 0; i < words.length; ++i) total += _overlapWord(words[i], from, to);
  }

  /// @dev Seconds of the blocks of one history word inside [from, to]: per record, the overlap of
  /// [startAt, startAt + durationSeconds) with [from, to] (an empty record, duration 0, adds nothing). Stops at the
  /// first all-zero tail of the word.
  function _overlapWord(uint256 word, uint256 from, uint256 to) private pure returns (uint256 total) {
    // unchecked: startAt and durationSeconds are uint32 (their sum < 2^33) and there are 4 records per word.
    unchecked {
      for (; word != 0; word >>= RECORD_BITS) {
        uint256 startAt = uint32(word);
        uint256 e = startAt + uint32(word >> 32);
        uint256 b = startAt > from ? startAt : from;
        if (e > to) e = to;
        if (e > b) total += e - b;
      }
    }
  }

  /// @dev Record `i` of a ring (it sits in word i / RECORDS_PER_WORD; `word` is that word).
  function _recordAt(uint256 word, uint256 i) private pure returns (uint256 startAt, uint256 durationSeconds) {
    uint256 r = word >> ((i % RECORDS_PER_WORD) * RECORD_BITS);
    return (uint32(r), uint32(r >> 32));
  }

  /// @dev `word` with record `i` set to (startAt, durationSeconds); both fit uint32 (timestamps until 2106,
  /// durations below a uint32 window).
  function _withRecord(
    uint256 word,
    uint256 i,
    uint256 startAt,
    uint256 durationSeconds
  ) private pure returns (uint256) {
    uint256 shift = (i % RECORDS_PER_WORD) * RECORD_BITS;
    uint256 r = uint256(uint32(startAt)) | (uint256(uint32(durationSeconds)) << 32);
    return (word & ~(uint256(type(uint64).max) << shift)) | (r << shift);
  }

  /// @dev `word` with the duration of record `i` replaced.
  function _withDuration(uint256 word, uint256 i, uint256 durationSeconds) private pure returns (uint256) {
    (uint256 startAt, ) = _recordAt(word, i);
    return _withRecord(word, i, startAt, durationSeconds);
  }

  /// @dev Max over watched assets of their active pause and grace ends (bounded by MAX_ASSETS). When the market-wide
  /// block ends earlier than recorded, the market's last record (the only one that can reach past now) is shortened.
  function _recomputeAggregate(uint256 nowTs) private {
    uint256 borrowUntil;
    uint256 liqUntil;
    uint256 n = _assets.length;
    for (uint256 i = 0; i < n; ++i) {
      StoredPause memory p = _pauses[_assets[i]];
      if (p.pausedUntil > borrowUntil) borrowUntil = p.pausedUntil;
      if (p.liquidationBlockedUntil > liqUntil) liqUntil = p.liquidationBlockedUntil;
    }
    Sentinel memory s = _sentinel;
    if (liqUntil < s.liquidationBlockedUntil) {
      uint256 newEnd = liqUntil > nowTs ? liqUntil : nowTs;
      uint256 head = s.marketHistoryHead;
      uint256 w = head / RECORDS_PER_WORD;
      uint256 word = _marketHistory[w];
      (uint256 lastStart, uint256 lastSeconds) = _recordAt(word, head);
      if (lastStart + lastSeconds > newEnd) {
        _marketHistory[w] = _withDuration(word, head, newEnd > lastStart ? newEnd - lastStart : 0);
      }
    }
    s.borrowBlockedUntil = uint32(borrowUntil);
    s.liquidationBlockedUntil = uint32(liqUntil);
    _sentinel = s;
    emit AggregateUpdated(borrowUntil, liqUntil);
  }

  /// @dev The market's LRT/ETH price is aavePriceWad = P_aave(asset) * 1e18 / P_aave(reference) (same base
  /// currency, so units cancel). It must lie within PRICING_TOLERANCE_BPS of the declared source (market price or
  /// exchange rate, from a fresh oracle poke); when the market and the rate differ by more than twice the tolerance
  /// (a dislocation, where the regimes part ways) it must also be strictly closer to the declared source.
  function _verifyPricing(address asset, GuardConfig calldata config) private {
    // No Aave market behind the guard: it serves a RiskAwareOracle (Morpho Blue), which prices the collateral at
    // market by construction, so only MARKET can be declared and there is no Aave oracle to compare with.
    if (address(_addressesProvider) == address(0)) {
      if (config.pricing != CollateralPricing.MARKET) revert GuardPauseCannotHelp(asset, config.pricing);
      return;
    }
    address aaveOracle = _addressesProvider.getPriceOracle();
    if (aaveOracle == address(0) || config.pricingReference == address(0)) {
      revert GuardPricingUnverifiable(asset, config.pricingReference);
    }
    uint256 assetPrice = IPriceOracleGetter(aaveOracle).getAssetPrice(asset);
    uint256 refPrice = IPriceOracleGetter(aaveOracle).getAssetPrice(config.pricingReference);
    ICollateralRiskOracle.AssetState memory st = ORACLE.poke(asset);
    if (assetPrice == 0 || refPrice == 0 || st.marketStale || st.marketPriceWad == 0 || st.exchangeRateWad == 0) {
      revert GuardPricingUnverifiable(asset, config.pricingReference);
    }
    uint256 aaveWad = (assetPrice * 1e18) / refPrice;
    uint256 market = st.marketPriceWad;
    uint256 rate = st.exchangeRateWad;
    uint256 declared = config.pricing == CollateralPricing.MARKET ? market : rate;
    uint256 other = config.pricing == CollateralPricing.MARKET ? rate : market;
    uint256 gapDeclared = _absDiff(aaveWad, declared);
    bool dislocated = _absDiff(market, rate) * BPS > 2 * PRICING_TOLERANCE_BPS * rate;
    if (gapDeclared * BPS > PRICING_TOLERANCE_BPS * declared || (dislocated && gapDeclared >= _absDiff(aaveWad, other))) {
      revert GuardPricingMismatch(asset, config.pricing, aaveWad, market, rate);
    }
  }

  function _absDiff(uint256 a, uint256 b) private pure returns (uint256) {
    return a > b ? a - b : b - a;
  }

  function _acl() private view returns (IACLManager) {
    return IACLManager(_addressesProvider.getACLManager());
  }

  /// @dev Aave's sentinel semantics: sequencer up (answer 0) and its status older than the grace period.
  function _isUpAndGracePeriodPassed(address sequencerOracle, uint256 gracePeriodSeconds) private view returns (bool) {
    (, int256 answer, uint256 startedAt, , ) = AggregatorV3Interface(sequencerOracle).latestRoundData();
    return answer == 0 && block.timestamp - startedAt > gracePeriodSeconds;
  }
}
