// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title MockAaveV31Configurator
/// @notice Recording double of the Aave v3.1+ PoolConfigurator implementing exactly the two functions the grace
/// period adapter calls, with their v3.1+ signatures. Aave v3.1+ cannot be deployed here (sources only).
contract MockAaveV31Configurator {
  struct Call {
    bytes4 selector;
    address asset;
    bool paused;
    uint40 gracePeriod;
    uint256 at;
  }

  /// @notice Grace-period end per asset, as v3.1+ `Pool.setLiquidationGracePeriod` would store it.
  mapping(address asset => uint40) public liquidationGracePeriodUntil;
  Call[] private _calls;

  function setReservePause(address asset, bool paused, uint40 gracePeriod) external {
    require(gracePeriod <= 4 hours, "InvalidGracePeriod");
    if (!paused && gracePeriod != 0) liquidationGracePeriodUntil[asset] = uint40(block.timestamp) + gracePeriod;
    _calls.push(Call(this.setReservePause.selector, asset, paused, gracePeriod, block.timestamp));
  }

  function disableLiquidationGracePeriod(address asset) external {
    liquidationGracePeriodUntil[asset] = 0;
    _calls.push(Call(this.disableLiquidationGracePeriod.selector, asset, false, 0, block.timestamp));
  }

  function callCount() external view returns (uint256) {
    return _calls.length;
  }

  function getCall(uint256 i) external view returns (Call memory) {
    return _calls[i];
  }
}

/// @title MockAaveReserveConfig
/// @notice `getConfiguration(asset)` returning a settable raw bitmap (bit 60 = paused).
contract MockAaveReserveConfig {
  mapping(address asset => uint256) public data;

  function setConfiguration(address asset, uint256 value) external {
    data[asset] = value;
  }

  function getConfiguration(address asset) external view returns (uint256) {
    return data[asset];
  }
}
