// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title ReplayKeeperBot
/// @notice Test-harness keeper of the replay engine: sends a step's permissionless Cascade Guard calls (risk oracle
///         poke, haircut poke, guard trip or release, grace-period sync) in one transaction, in the order given, as a
///         keeper bot's multicall does. Each call runs in its own frame: a call that reverts is reported
///         (`KeeperCallFailed`) and the next one still runs, as when the calls are sent one by one.
/// @dev Only its owner may drive it. Not part of Cascade Guard: the calls it makes are the ones anyone may make.
contract ReplayKeeperBot {
  /// @notice The caller is not the owner.
  error ReplayKeeperBotNotOwner(address caller);
  /// @notice `targets` and `data` differ in length.
  error ReplayKeeperBotLengthMismatch(uint256 targets, uint256 data);

  /// @notice Call `index` of the batch reverted with `reason`.
  event KeeperCallFailed(uint256 indexed index, address indexed target, bytes reason);

  /// @notice The harness account that drives it.
  address public immutable OWNER;

  constructor(address owner) {
    OWNER = owner;
  }

  /// @notice Calls `targets[i]` with `data[i]` in order; returns how many reverted.
  function callAll(address[] calldata targets, bytes[] calldata data) external returns (uint256 failed) {
    if (msg.sender != OWNER) revert ReplayKeeperBotNotOwner(msg.sender);
    if (targets.length != data.length) revert ReplayKeeperBotLengthMismatch(targets.length, data.length);
    for (uint256 i = 0; i < targets.length; ++i) {
      // A multicall of arbitrary permissionless calls: a low-level call is the point (its revert is reported).
      // solhint-disable-next-line avoid-low-level-calls
      (bool ok, bytes memory reason) = targets[i].call(data[i]);
      if (!ok) {
        ++failed;
        emit KeeperCallFailed(i, targets[i], reason);
      }
    }
  }
}
