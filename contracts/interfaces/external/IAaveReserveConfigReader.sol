// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IAaveReserveConfigReader
/// @notice `IPool.getConfiguration(asset)` of Aave v3 (all versions), read as the raw bitmap: Aave returns
/// `DataTypes.ReserveConfigurationMap { uint256 data; }`, whose ABI encoding is exactly one uint256 word.
/// Bits used here: 56 active, 57 frozen, 60 paused (identical in v3.0.2 and v3.1+).
interface IAaveReserveConfigReader {
  function getConfiguration(address asset) external view returns (uint256 data);
}
