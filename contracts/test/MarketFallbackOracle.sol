// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ICollateralRiskOracle} from "../interfaces/ICollateralRiskOracle.sol";
import {AggregatorV3Interface} from "../interfaces/external/AggregatorV3Interface.sol";

/// @title MarketFallbackOracle
/// @notice Test helper: a fallback price oracle for Aave's AaveOracle that prices any asset the risk oracle knows by
/// its market feed (a market-priced venue): USD price (8 decimals) = LRT/ETH market answer x ETH/USD answer.
/// Lets guard tests add assets without listing a source for each; tests that need another pricing set a source.
contract MarketFallbackOracle {
  ICollateralRiskOracle public immutable RISK_ORACLE;
  AggregatorV3Interface public immutable ETH_USD;

  constructor(ICollateralRiskOracle riskOracle, AggregatorV3Interface ethUsd) {
    RISK_ORACLE = riskOracle;
    ETH_USD = ethUsd;
  }

  /// @notice Asset price in USD with 8 decimals (0 when the risk oracle does not know the asset).
  function getAssetPrice(address asset) external view returns (uint256) {
    if (!RISK_ORACLE.isAssetConfigured(asset)) return 0;
    AggregatorV3Interface feed = RISK_ORACLE.getAssetConfig(asset).marketFeed;
    (, int256 lrtEth, , , ) = feed.latestRoundData();
    (, int256 ethUsd, , , ) = ETH_USD.latestRoundData();
    if (lrtEth <= 0 || ethUsd <= 0) return 0;
    // priceUsd8 = lrtEth (feed decimals) * ethUsd (8 decimals) / 10^feedDecimals
    return (uint256(lrtEth) * uint256(ethUsd)) / 10 ** feed.decimals();
  }
}
