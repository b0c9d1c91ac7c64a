// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AggregatorV3Interface} from "../interfaces/external/AggregatorV3Interface.sol";

/// @title MockAggregator
/// @notice Chainlink-compatible feed for tests and scenario replays: settable answer, timestamps and decimals.
/// Also serves as an L2 sequencer-uptime feed (answer 0 = up, 1 = down; `startedAt` = status change time).
contract MockAggregator is AggregatorV3Interface {
  uint8 public immutable decimals;
  string public description;
  uint256 public constant version = 4;

  uint80 private _roundId;
  int256 private _answer;
  uint256 private _startedAt;
  uint256 private _updatedAt;

  constructor(uint8 decimals_, string memory description_, int256 initialAnswer) {
    decimals = decimals_;
    description = description_;
    _set(initialAnswer, block.timestamp, block.timestamp);
  }

  /// @notice Sets the answer with startedAt = updatedAt = now.
  function setAnswer(int256 answer) external {
    _set(answer, block.timestamp, block.timestamp);
  }

  /// @notice Sets every field of the next round.
  function setRoundData(int256 answer, uint256 startedAt, uint256 updatedAt) external {
    _set(answer, startedAt, updatedAt);
  }

  /// @notice Moves `updatedAt` (to make the feed stale or fresh) without changing the answer.
  function setUpdatedAt(uint256 updatedAt) external {
    _updatedAt = updatedAt;
  }

  /// @notice The legacy read AaveOracle and the replica price sources use.
  function latestAnswer() external view returns (int256) {
    return _answer;
  }

  function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80) {
    return (_roundId, _answer, _startedAt, _updatedAt, _roundId);
  }

  function _set(int256 answer, uint256 startedAt, uint256 updatedAt) private {
    ++_roundId;
    _answer = answer;
    _startedAt = startedAt;
    _updatedAt = updatedAt;
  }
}
