// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title GasProbe
/// @notice Test/bench helper: gas of one external view call, cold account and storage access included (as on the
/// first touch inside a real Pool transaction).
contract GasProbe {
  error GasProbeCallFailed(bytes returnData);

  function measure(address target, bytes calldata data) external view returns (uint256 gasUsed, bytes memory ret) {
    uint256 before = gasleft();
    (bool ok, bytes memory r) = target.staticcall(data);
    gasUsed = before - gasleft();
    if (!ok) revert GasProbeCallFailed(r);
    ret = r;
  }
}
