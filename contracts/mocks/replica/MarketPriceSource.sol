// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IReplicaFeedReader, IReplicaPriceSource} from "./IReplicaPriceSource.sol";

/// @title MarketPriceSource
/// @notice "Market-price" regime: asset/USD = (LRT/ETH market feed) x (ETH/USD feed), as Morpho or Gearbox
///         markets priced ezETH in April 2024. A market depeg the scenario writes into the LRT/ETH feed moves
///         Aave health factors directly.
contract MarketPriceSource is IReplicaPriceSource {
  /// @notice LRT/ETH market feed (any decimals; 18 in the replica).
  address public immutable ASSET_ETH_FEED;
  /// @inheritdoc IReplicaPriceSource
  address public immutable ETH_USD_FEED;

  /// @param assetEthFeed Chainlink-style LRT/ETH feed
  /// @param ethUsdFeed Chainlink-style ETH/USD feed with 8 decimals
  constructor(address assetEthFeed, address ethUsdFeed) {
    ASSET_ETH_FEED = assetEthFeed;
    ETH_USD_FEED = ethUsdFeed;
  }

  /// @inheritdoc IReplicaPriceSource
  function decimals() external pure returns (uint8) {
    return 8;
  }

  /// @inheritdoc IReplicaPriceSource
  function assetEthWad() public view returns (uint256) {
    int256 answer = IReplicaFeedReader(ASSET_ETH_FEED).latestAnswer();
    if (answer <= 0) revert ReplicaPriceSourceBadAnswer(ASSET_ETH_FEED, answer);
    // rescale from the feed's decimals to WAD
    return (uint256(answer) * 1e18) / (10 ** IReplicaFeedReader(ASSET_ETH_FEED).decimals());
  }

  /// @inheritdoc IReplicaPriceSource
  function latestAnswer() external view returns (int256) {
    int256 ethUsd = IReplicaFeedReader(ETH_USD_FEED).latestAnswer();
    if (ethUsd <= 0) revert ReplicaPriceSourceBadAnswer(ETH_USD_FEED, ethUsd);
    // priceUsd8 = assetEthWad * ethUsd8 / 1e18, rounded down
    return int256((assetEthWad() * uint256(ethUsd)) / 1e18);
  }
}
