// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IReplicaFeedReader, IReplicaPriceSource, IReplicaRateSource} from "./IReplicaPriceSource.sol";

/// @title ExchangeRatePriceSource
/// @notice "Exchange-rate" regime, CAPO-like (BGD correlated-asset price oracle): asset/USD =
///         min(rate, cappedRate(now)) x ETH/USD, where the cap grows linearly from a snapshot at
///         `maxYearlyGrowthBps` per year. Downward rate moves (slashing) pass through at once; a market
///         depeg does not move the price at all, as on Aave v3 Ethereum.
contract ExchangeRatePriceSource is IReplicaPriceSource {
  uint256 private constant _BPS = 1e4;
  uint256 private constant _YEAR_SECONDS = 365 days;

  /// @notice Exchange-rate provider (`getRate()`, ETH per token, WAD).
  address public immutable RATE_PROVIDER;
  /// @inheritdoc IReplicaPriceSource
  address public immutable ETH_USD_FEED;
  /// @notice Rate at the snapshot, WAD.
  uint256 public immutable SNAPSHOT_RATE_WAD;
  /// @notice Snapshot time, seconds.
  uint256 public immutable SNAPSHOT_TIMESTAMP;
  /// @notice Maximum yearly growth of the rate above the snapshot, bps.
  uint256 public immutable MAX_YEARLY_GROWTH_BPS;

  /// @param rateProvider exchange-rate provider
  /// @param ethUsdFeed Chainlink-style ETH/USD feed with 8 decimals
  /// @param snapshotRateWad rate at the snapshot (usually the current rate), WAD
  /// @param snapshotTimestamp snapshot time
  /// @param maxYearlyGrowthBps cap growth per year, bps
  constructor(
    address rateProvider,
    address ethUsdFeed,
    uint256 snapshotRateWad,
    uint256 snapshotTimestamp,
    uint256 maxYearlyGrowthBps
  ) {
    RATE_PROVIDER = rateProvider;
    ETH_USD_FEED = ethUsdFeed;
    SNAPSHOT_RATE_WAD = snapshotRateWad;
    SNAPSHOT_TIMESTAMP = snapshotTimestamp;
    MAX_YEARLY_GROWTH_BPS = maxYearlyGrowthBps;
  }

  /// @inheritdoc IReplicaPriceSource
  function decimals() external pure returns (uint8) {
    return 8;
  }

  /// @notice Upper bound on the rate now: snapshot x (1 + growth x elapsed / year), WAD.
  function maxRateWad() public view returns (uint256) {
    uint256 elapsed = block.timestamp > SNAPSHOT_TIMESTAMP ? block.timestamp - SNAPSHOT_TIMESTAMP : 0;
    return SNAPSHOT_RATE_WAD + (SNAPSHOT_RATE_WAD * MAX_YEARLY_GROWTH_BPS * elapsed) / (_BPS * _YEAR_SECONDS);
  }

  /// @notice Whether the provider's rate is above the cap right now.
  function isCapped() external view returns (bool) {
    return IReplicaRateSource(RATE_PROVIDER).getRate() > maxRateWad();
  }

  /// @inheritdoc IReplicaPriceSource
  function assetEthWad() public view returns (uint256) {
    uint256 rate = IReplicaRateSource(RATE_PROVIDER).getRate();
    uint256 cap = maxRateWad();
    return rate > cap ? cap : rate;
  }

  /// @inheritdoc IReplicaPriceSource
  function latestAnswer() external view returns (int256) {
    int256 ethUsd = IReplicaFeedReader(ETH_USD_FEED).latestAnswer();
    if (ethUsd <= 0) revert ReplicaPriceSourceBadAnswer(ETH_USD_FEED, ethUsd);
    // priceUsd8 = cappedRateWad * ethUsd8 / 1e18, rounded down
    return int256((assetEthWad() * uint256(ethUsd)) / 1e18);
  }
}
