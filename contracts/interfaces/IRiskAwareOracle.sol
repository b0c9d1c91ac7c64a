// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IOracle} from "@morpho-org/morpho-blue/src/interfaces/IOracle.sol";
import {ICollateralRiskOracle} from "./ICollateralRiskOracle.sol";
import {ILiquidationPauseGuard} from "./ILiquidationPauseGuard.sol";
import {IExchangeRateAdapter} from "./IExchangeRateAdapter.sol";
import {AggregatorV3Interface} from "./external/AggregatorV3Interface.sol";

/// @title IRiskAwareOracle
/// @notice Morpho Blue `IOracle` for an LRT/loan-token market that reads Cascade Guard: the market price in normal
/// times; during a liquidation pause the guard tripped on a *liquidity* dislocation (NAV and backing intact) a floor
/// at exchange rate x (1 - tolerance), for at most `MAX_FLOOR_SECONDS` from the pause's start; on a *real loss*
/// (the risk oracle IMPAIRED) min(market, exchange rate x backing ratio) at once.
/// @dev Immutable: Morpho markets fix their oracle at creation, so a curator chooses this oracle when creating the
/// market and nobody can change its rules afterwards. It depends on these public views only:
/// `ICollateralRiskOracle.getAssetState` (level, last exchange rate, last market price, backing shortfall),
/// `ILiquidationPauseGuard.isAssetPaused`, `ILiquidationPauseGuard.getPauseState` (pausedAt) and, at construction,
/// `ILiquidationPauseGuard.ORACLE`. It never writes to them.
/// Units: prices and rates are WAD (1e18 = 1 loan token per collateral token, "at par"); percentages are basis
/// points (BPS = 1e4); time is seconds. `price()` is Morpho's scale: 1e36 x 10^(loanDecimals - collateralDecimals)
/// per WAD of price.
/// Stale market feed: `price()` does not revert. It prices the collateral at the lower of the market price the risk
/// oracle last recorded and exchange rate x backing ratio (the value a lender can count on), then applies the same
/// floor/impaired rules. It reverts (`RiskAwareOracleNoSafePrice`) only when neither the feed nor the risk oracle's
/// last record gives a positive value.
interface IRiskAwareOracle is IOracle {
  /// @notice Which rule priced the collateral.
  /// @param MARKET The market price (no pause, or the market above the floor).
  /// @param FLOOR The pause floor: exchange rate x backing ratio x (1 - tolerance).
  /// @param IMPAIRED The risk oracle shows a real loss: min(market, exchange rate x backing ratio).
  enum PriceMode {
    MARKET,
    FLOOR,
    IMPAIRED
  }

  /// @notice Construction parameters (all immutable afterwards).
  /// @param asset The collateral token (as configured in the risk oracle and the guard).
  /// @param riskOracle Cascade Guard's CollateralRiskOracle for `asset`.
  /// @param guard The LiquidationPauseGuard whose pause of `asset` opens the floor; its `ORACLE()` must be
  /// `riskOracle`.
  /// @param marketFeed Chainlink-compatible collateral/loan-token market price feed (any decimals <= 36).
  /// @param rateAdapter Exchange-rate adapter of the collateral (loan token per collateral token, WAD).
  /// @param marketHeartbeatSeconds Maximum age of the market feed's `updatedAt` before the stale fallback is used.
  /// @param floorToleranceBps The floor's distance below exchange rate x backing ratio, in [MIN, MAX]_TOLERANCE_BPS.
  /// @param maxFloorSeconds Longest time a floor is held after a pause started, in (0, MAX_FLOOR_CEILING_SECONDS].
  /// @param collateralDecimals Decimals of the collateral token (<= 36).
  /// @param loanDecimals Decimals of the loan token (<= 36); 18 + loanDecimals - collateralDecimals in [0, 36].
  struct Params {
    address asset;
    ICollateralRiskOracle riskOracle;
    ILiquidationPauseGuard guard;
    AggregatorV3Interface marketFeed;
    IExchangeRateAdapter rateAdapter;
    uint32 marketHeartbeatSeconds;
    uint16 floorToleranceBps;
    uint32 maxFloorSeconds;
    uint8 collateralDecimals;
    uint8 loanDecimals;
  }

  /// @notice Everything `price()` looked at, for monitoring (`risk:status`) and tests.
  /// @param priceWad The price `price()` reports, WAD (before Morpho's decimal scaling).
  /// @param mode Which rule gave `priceWad`.
  /// @param marketWad The market price used (the feed's, or the stale fallback), WAD.
  /// @param marketFresh Whether the feed answered a positive price within its heartbeat.
  /// @param rateWad Exchange rate used (the adapter's, or the risk oracle's last when the adapter fails), WAD.
  /// @param backedRateWad rateWad x (1 - backing shortfall), WAD.
  /// @param floorWad The pause floor when it applies now, else 0.
  /// @param floorUntil When the current floor lapses (pause end or pausedAt + MAX_FLOOR_SECONDS), else 0.
  struct PriceQuote {
    uint256 priceWad;
    PriceMode mode;
    uint256 marketWad;
    bool marketFresh;
    uint256 rateWad;
    uint256 backedRateWad;
    uint256 floorWad;
    uint256 floorUntil;
  }

  /// @notice Emitted once, at construction.
  event RiskAwareOracleDeployed(Params params, uint256 scaleFactor, uint256 initialPrice);

  /// @notice A construction parameter is invalid; `field` names it, `value` is what was given.
  error RiskAwareOracleInvalidParam(string field, uint256 value);
  /// @notice The guard reads another risk oracle than the one given.
  error RiskAwareOracleGuardMismatch(address guardOracle, address riskOracle);
  /// @notice At construction the oracle would report a zero price (Morpho would treat all collateral as worthless).
  error RiskAwareOracleZeroPrice(address asset);
  /// @notice Neither the market feed nor the risk oracle's last record gives a positive price.
  error RiskAwareOracleNoSafePrice(address asset);

  /// @notice The collateral token.
  function ASSET() external view returns (address);

  /// @notice The risk oracle read for the level, the last rate and the backing shortfall.
  function RISK_ORACLE() external view returns (ICollateralRiskOracle);

  /// @notice The guard whose pause of `ASSET` opens the floor.
  function GUARD() external view returns (ILiquidationPauseGuard);

  /// @notice The market price feed.
  function MARKET_FEED() external view returns (AggregatorV3Interface);

  /// @notice The exchange-rate adapter.
  function RATE_ADAPTER() external view returns (IExchangeRateAdapter);

  /// @notice Maximum age of the market feed, seconds.
  function MARKET_HEARTBEAT_SECONDS() external view returns (uint256);

  /// @notice The floor's distance below exchange rate x backing ratio, bps.
  function FLOOR_TOLERANCE_BPS() external view returns (uint256);

  /// @notice Longest time a floor is held after a pause started, seconds.
  function MAX_FLOOR_SECONDS() external view returns (uint256);

  /// @notice Morpho scale factor: `price() = priceWad x SCALE_FACTOR` with SCALE_FACTOR =
  /// 10^(18 + loanDecimals - collateralDecimals).
  function SCALE_FACTOR() external view returns (uint256);

  /// @notice The full quote behind `price()`.
  function quote() external view returns (PriceQuote memory);
}
