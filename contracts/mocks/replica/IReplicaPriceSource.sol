// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IReplicaFeedReader
/// @notice The two reads the replica's price sources take from a Chainlink-style feed.
interface IReplicaFeedReader {
  /// @notice Latest answer in `decimals()`.
  function latestAnswer() external view returns (int256);

  /// @notice Answer decimals.
  function decimals() external view returns (uint8);
}

/// @title IReplicaRateSource
/// @notice Exchange-rate read (ETH per LRT token, WAD), weETH-style.
interface IReplicaRateSource {
  /// @notice ETH per token, WAD.
  function getRate() external view returns (uint256);
}

/// @title IReplicaPriceSource
/// @notice What Aave's AaveOracle reads from an asset source (`latestAnswer()`, base currency USD with 8 decimals)
///         plus the components, so scenarios and reports can see how a price was formed.
interface IReplicaPriceSource {
  /// @notice Thrown when a component feed reports a non-positive answer.
  error ReplicaPriceSourceBadAnswer(address feed, int256 answer);

  /// @notice Asset price in USD, 8 decimals (AaveOracle base currency unit 1e8).
  function latestAnswer() external view returns (int256);

  /// @notice Always 8.
  function decimals() external view returns (uint8);

  /// @notice The ETH-denominated component of the price: ETH per asset token, WAD.
  function assetEthWad() external view returns (uint256);

  /// @notice The ETH/USD feed the ETH component is multiplied by.
  function ETH_USD_FEED() external view returns (address);
}
