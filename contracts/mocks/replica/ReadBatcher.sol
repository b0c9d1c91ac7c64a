// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title ReadBatcher
/// @notice Test-harness helper of the replay engine: many calls in one `eth_call`, so a replay step reads the whole
///         market (prices, indexes, LT, guard state, DEX reserves) in one round trip instead of one per value.
///         Also used, through `eth_call` only, to simulate a keeper's sequence of permissionless calls in order
///         (each later call sees the earlier ones' effects; nothing is kept because an eth_call mines nothing).
/// @dev Never holds funds or roles; `tryAll` forwards no value. Not part of Cascade Guard.
contract ReadBatcher {
  /// @notice One call and its outcome.
  struct Result {
    bool success;
    bytes returnData;
  }

  /// @notice The current block's timestamp (so a batch can read it with everything else).
  function blockTimestamp() external view returns (uint256) {
    return block.timestamp;
  }

  /// @notice Calls `targets[i]` with `data[i]` in order; a failing call is reported, not bubbled.
  /// @param targets Contracts to call.
  /// @param data Calldata per target (same length as `targets`).
  /// @return results Success flag and return data per call.
  function tryAll(address[] calldata targets, bytes[] calldata data) external returns (Result[] memory results) {
    require(targets.length == data.length, "ReadBatcher: length mismatch");
    results = new Result[](targets.length);
    for (uint256 i = 0; i < targets.length; i++) {
      (bool ok, bytes memory ret) = targets[i].call(data[i]);
      results[i] = Result(ok, ret);
    }
  }
}
