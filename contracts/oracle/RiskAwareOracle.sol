// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IOracle} from "@morpho-org/morpho-blue/src/interfaces/IOracle.sol";
import {IRiskAwareOracle} from "../interfaces/IRiskAwareOracle.sol";
import {ICollateralRiskOracle} from "../interfaces/ICollateralRiskOracle.sol";
import {ILiquidationPauseGuard} from "../interfaces/ILiquidationPauseGuard.sol";
import {IExchangeRateAdapter} from "../interfaces/IExchangeRateAdapter.sol";
import {AggregatorV3Interface} from "../interfaces/external/AggregatorV3Interface.sol";

/// @title RiskAwareOracle
/// @notice Morpho Blue oracle for LRT collateral composed from Cascade Guard's risk oracle and liquidation pause
/// guard: market price normally, a bounded floor during a guard-tripped liquidity dislocation, the lower of market
/// and backed NAV on a real loss.
/// @dev See `IRiskAwareOracle` for the full specification. Immutable, no roles.
contract RiskAwareOracle is IRiskAwareOracle {
  uint256 private constant BPS = 1e4;
  uint256 private constant WAD = 1e18;

  /// @notice Smallest floor tolerance: the floor always sits at least this far below the backed rate.
  uint16 public constant MIN_TOLERANCE_BPS = 50;
  /// @notice Largest floor tolerance (a floor 30% below NAV protects nothing).
  uint16 public constant MAX_TOLERANCE_BPS = 30_00;
  /// @notice Hard ceiling on MAX_FLOOR_SECONDS (the guard's own ceiling on a pause is 3 days).
  uint32 public constant MAX_FLOOR_CEILING_SECONDS = 3 days;
  /// @notice Hard ceiling on the market feed heartbeat.
  uint32 public constant MAX_HEARTBEAT_SECONDS = 7 days;
  /// @dev Largest decimals accepted for tokens and the feed.
  uint8 private constant MAX_DECIMALS = 36;

  /// @inheritdoc IRiskAwareOracle
  address public immutable ASSET;
  /// @inheritdoc IRiskAwareOracle
  ICollateralRiskOracle public immutable RISK_ORACLE;
  /// @inheritdoc IRiskAwareOracle
  ILiquidationPauseGuard public immutable GUARD;
  /// @inheritdoc IRiskAwareOracle
  AggregatorV3Interface public immutable MARKET_FEED;
  /// @inheritdoc IRiskAwareOracle
  IExchangeRateAdapter public immutable RATE_ADAPTER;
  /// @inheritdoc IRiskAwareOracle
  uint256 public immutable MARKET_HEARTBEAT_SECONDS;
  /// @inheritdoc IRiskAwareOracle
  uint256 public immutable FLOOR_TOLERANCE_BPS;
  /// @inheritdoc IRiskAwareOracle
  uint256 public immutable MAX_FLOOR_SECONDS;
  /// @inheritdoc IRiskAwareOracle
  uint256 public immutable SCALE_FACTOR;
  /// @dev 10^(market feed decimals).
  uint256 private immutable _FEED_UNIT;

  /// @param p See `IRiskAwareOracle.Params`. Validated, then stored; reverts if the oracle would price at zero now.
  constructor(Params memory p) {
    _validate(p);
    uint8 feedDecimals = p.marketFeed.decimals();
    if (feedDecimals > MAX_DECIMALS) revert RiskAwareOracleInvalidParam("marketFeed.decimals", feedDecimals);
    address guardOracle = address(p.guard.ORACLE());
    if (guardOracle != address(p.riskOracle)) revert RiskAwareOracleGuardMismatch(guardOracle, address(p.riskOracle));

    ASSET = p.asset;
    RISK_ORACLE = p.riskOracle;
    GUARD = p.guard;
    MARKET_FEED = p.marketFeed;
    RATE_ADAPTER = p.rateAdapter;
    MARKET_HEARTBEAT_SECONDS = p.marketHeartbeatSeconds;
    FLOOR_TOLERANCE_BPS = p.floorToleranceBps;
    MAX_FLOOR_SECONDS = p.maxFloorSeconds;
    // price() = priceWad * 1e36 * 10^loanDecimals / 10^collateralDecimals / 1e18
    SCALE_FACTOR = 10 ** (18 + uint256(p.loanDecimals) - uint256(p.collateralDecimals));
    _FEED_UNIT = 10 ** feedDecimals;

    // An oracle that would answer zero (or cannot answer) is refused here, before any market can use it.
    PriceQuote memory q = _quote(p.asset, p.riskOracle, p.guard, p.marketFeed, p.rateAdapter);
    if (q.priceWad == 0) revert RiskAwareOracleZeroPrice(p.asset);
    emit RiskAwareOracleDeployed(p, SCALE_FACTOR, q.priceWad * SCALE_FACTOR);
  }

  /// @inheritdoc IOracle
  function price() external view returns (uint256) {
    return _quote(ASSET, RISK_ORACLE, GUARD, MARKET_FEED, RATE_ADAPTER).priceWad * SCALE_FACTOR;
  }

  /// @inheritdoc IRiskAwareOracle
  function quote() external view returns (PriceQuote memory) {
    return _quote(ASSET, RISK_ORACLE, GUARD, MARKET_FEED, RATE_ADAPTER);
  }

  /// @dev The pricing rules (arguments passed in so the constructor can run them before immutables are readable).
  function _quote(
    address asset,
    ICollateralRiskOracle riskOracle,
    ILiquidationPauseGuard guard,
    AggregatorV3Interface feed,
    IExchangeRateAdapter adapter
  ) private view returns (PriceQuote memory q) {
    ICollateralRiskOracle.AssetState memory st = riskOracle.getAssetState(asset);

    // Exchange rate: the adapter's, or the risk oracle's last when the adapter fails or answers zero.
    q.rateWad = st.exchangeRateWad;
    bool rateFell;
    try adapter.getRateWad() returns (uint256 r) {
      if (r != 0) {
        // A rate below the one the risk oracle last saw is a loss nobody has poked yet: no floor until it is.
        rateFell = r < st.exchangeRateWad;
        q.rateWad = r;
      }
    } catch {}
    // backedRate = rate x (1 - backing shortfall), rounded down (against the borrower).
    q.backedRateWad = (q.rateWad * (BPS - st.backingShortfallBps)) / BPS;

    // Market price: the feed's when positive and within its heartbeat; else the lower of the last recorded market
    // price and the backed rate (stale fallback, never above what the collateral is known to be worth).
    (q.marketWad, q.marketFresh) = _readFeed(feed);
    if (!q.marketFresh) {
      uint256 last = st.marketPriceWad;
      q.marketWad = last != 0 && last < q.backedRateWad ? last : q.backedRateWad;
      if (q.marketWad == 0) q.marketWad = last;
    }
    if (q.marketWad == 0) revert RiskAwareOracleNoSafePrice(asset);

    // Real loss: min(market, rate x backing) at once, whatever the guard says.
    if (st.level == ICollateralRiskOracle.RiskLevel.IMPAIRED) {
      q.mode = PriceMode.IMPAIRED;
      // (An unknown rate, never poked and the adapter failing, leaves the market price.)
      q.priceWad = q.rateWad == 0 || q.marketWad < q.backedRateWad ? q.marketWad : q.backedRateWad;
      return q;
    }

    q.priceWad = q.marketWad;
    q.mode = PriceMode.MARKET;
    if (rateFell || q.backedRateWad == 0 || !guard.isAssetPaused(asset)) return q;

    // Guard-tripped dislocation: the floor holds until the pause ends or MAX_FLOOR_SECONDS after it started,
    // whichever comes first.
    ILiquidationPauseGuard.PauseState memory ps = guard.getPauseState(asset);
    uint256 until = uint256(ps.pausedAt) + MAX_FLOOR_SECONDS;
    if (ps.pausedUntil < until) until = ps.pausedUntil;
    if (block.timestamp >= until) return q;
    // floor = backedRate x (1 - tolerance), rounded down
    q.floorWad = (q.backedRateWad * (BPS - FLOOR_TOLERANCE_BPS)) / BPS;
    q.floorUntil = until;
    if (q.floorWad > q.marketWad) {
      q.priceWad = q.floorWad;
      q.mode = PriceMode.FLOOR;
    }
  }

  /// @dev Reads the market feed, normalised to WAD; (0, false) when it reverts, answers <= 0 or is stale.
  function _readFeed(AggregatorV3Interface feed) private view returns (uint256 wad, bool fresh) {
    try feed.latestRoundData() returns (uint80, int256 answer, uint256, uint256 updatedAt, uint80) {
      if (answer <= 0 || updatedAt > block.timestamp || block.timestamp - updatedAt > MARKET_HEARTBEAT_SECONDS) {
        return (0, false);
      }
      // answer > 0 and int256 -> uint256 is exact; the feed unit is <= 1e36, so answer * 1e18 overflows only for
      // answers above 1e59, which no price feed reports (checked arithmetic would revert, not wrap).
      return ((uint256(answer) * WAD) / _FEED_UNIT, true);
    } catch {
      return (0, false);
    }
  }

  function _validate(Params memory p) private pure {
    if (p.asset == address(0)) revert RiskAwareOracleInvalidParam("asset", 0);
    if (address(p.riskOracle) == address(0)) revert RiskAwareOracleInvalidParam("riskOracle", 0);
    if (address(p.guard) == address(0)) revert RiskAwareOracleInvalidParam("guard", 0);
    if (address(p.marketFeed) == address(0)) revert RiskAwareOracleInvalidParam("marketFeed", 0);
    if (address(p.rateAdapter) == address(0)) revert RiskAwareOracleInvalidParam("rateAdapter", 0);
    if (p.marketHeartbeatSeconds == 0 || p.marketHeartbeatSeconds > MAX_HEARTBEAT_SECONDS) {
      revert RiskAwareOracleInvalidParam("marketHeartbeatSeconds", p.marketHeartbeatSeconds);
    }
    if (p.floorToleranceBps < MIN_TOLERANCE_BPS || p.floorToleranceBps > MAX_TOLERANCE_BPS) {
      revert RiskAwareOracleInvalidParam("floorToleranceBps", p.floorToleranceBps);
    }
    if (p.maxFloorSeconds == 0 || p.maxFloorSeconds > MAX_FLOOR_CEILING_SECONDS) {
      revert RiskAwareOracleInvalidParam("maxFloorSeconds", p.maxFloorSeconds);
    }
    if (p.collateralDecimals > MAX_DECIMALS) revert RiskAwareOracleInvalidParam("collateralDecimals", p.collateralDecimals);
    if (p.loanDecimals > MAX_DECIMALS) revert RiskAwareOracleInvalidParam("loanDecimals", p.loanDecimals);
    if (18 + uint256(p.loanDecimals) < p.collateralDecimals || 18 + uint256(p.loanDecimals) - p.collateralDecimals > 36) {
      revert RiskAwareOracleInvalidParam("loanDecimals", p.loanDecimals);
    }
  }
}
