// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title AggregatorV3Interface
/// @notice The Chainlink price-feed read interface (the subset every Chainlink aggregator proxy exposes).
/// @dev Written from the public Chainlink interface; `answer` is scaled by `decimals()`.
interface AggregatorV3Interface {
  /// @notice Number of decimals of `answer` (e.g. 18 for LRT/ETH feeds, 8 for USD feeds).
  function decimals() external view returns (uint8);

  /// @notice Human-readable feed description, e.g. "weETH / ETH".
  function description() external view returns (string memory);

  /// @notice Feed implementation version.
  function version() external view returns (uint256);

  /// @notice Latest round.
  /// @return roundId The round id.
  /// @return answer The answer, scaled by `decimals()`; for an L2 sequencer-uptime feed 0 = up, 1 = down.
  /// @return startedAt When the round started (for a sequencer feed: when the current status began).
  /// @return updatedAt When the answer was last updated (the staleness reference).
  /// @return answeredInRound Deprecated; the round in which the answer was computed.
  function latestRoundData()
    external
    view
    returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound);
}
