// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title ReplicaFeed
/// @notice Chainlink-style price feed the scenarios drive (ETH/USD, LRT/ETH market price, ...).
///         Exposes both the AggregatorV3 read (`latestRoundData`, `decimals`) and the legacy
///         `latestAnswer()` / `latestTimestamp()` that Aave's AaveOracle calls (IEACAggregatorProxy).
///         Only the owner (the scenario driver) sets answers; each update opens a new round.
contract ReplicaFeed is Ownable {
  /// @notice Emitted after the answer changed: round id, new answer (in `decimals()`), its timestamp.
  event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt);

  uint8 private immutable _DECIMALS;
  string private _description;
  int256 private _answer;
  uint256 private _updatedAt;
  uint80 private _roundId;

  /// @param decimals_ answer decimals (8 for USD feeds, 18 for LRT/ETH feeds)
  /// @param description_ e.g. "weETH / ETH"
  /// @param initialAnswer first answer, in `decimals_`
  /// @param owner_ the scenario driver allowed to update
  constructor(uint8 decimals_, string memory description_, int256 initialAnswer, address owner_) Ownable(owner_) {
    _DECIMALS = decimals_;
    _description = description_;
    _setAnswer(initialAnswer, block.timestamp);
  }

  /// @notice Sets a new answer stamped with the current block time.
  function setAnswer(int256 answer) external onlyOwner {
    _setAnswer(answer, block.timestamp);
  }

  /// @notice Sets a new answer with an explicit `updatedAt` (to make the feed stale on purpose).
  function setAnswerAt(int256 answer, uint256 updatedAt) external onlyOwner {
    _setAnswer(answer, updatedAt);
  }

  /// @notice Answer decimals.
  function decimals() external view returns (uint8) {
    return _DECIMALS;
  }

  /// @notice Human-readable pair name.
  function description() external view returns (string memory) {
    return _description;
  }

  /// @notice Feed version (constant).
  function version() external pure returns (uint256) {
    return 4;
  }

  /// @notice Latest answer in `decimals()` (Aave's AaveOracle reads this).
  function latestAnswer() external view returns (int256) {
    return _answer;
  }

  /// @notice Timestamp of the latest answer.
  function latestTimestamp() external view returns (uint256) {
    return _updatedAt;
  }

  /// @notice Id of the latest round.
  function latestRound() external view returns (uint256) {
    return _roundId;
  }

  /// @notice AggregatorV3 latest round: (roundId, answer, startedAt, updatedAt, answeredInRound).
  function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80) {
    return (_roundId, _answer, _updatedAt, _updatedAt, _roundId);
  }

  function _setAnswer(int256 answer, uint256 updatedAt) private {
    _answer = answer;
    _updatedAt = updatedAt;
    unchecked {
      // a uint80 round counter cannot overflow in any test or scenario
      ++_roundId;
    }
    emit AnswerUpdated(answer, _roundId, updatedAt);
  }
}
