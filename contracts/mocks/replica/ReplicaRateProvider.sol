// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title ReplicaRateProvider
/// @notice LRT exchange-rate provider the scenarios drive (what weETH `getRate()`, Kelp's rsETH price or an
///         ERC-4626 `convertToAssets(1e18)` report on mainnet): ETH per LRT token, WAD (1e18 = 1 ETH per token).
///         A slashing episode lowers it; normal staking yield raises it.
contract ReplicaRateProvider is Ownable {
  /// @notice Thrown when a rate of zero is set (a rate provider never reports zero).
  error ReplicaRateProviderZeroRate();

  /// @notice Emitted after the rate changed, old and new value (WAD).
  event RateUpdated(uint256 oldRateWad, uint256 newRateWad);

  uint256 private _rateWad;

  /// @param initialRateWad ETH per token, WAD
  /// @param owner_ the scenario driver
  constructor(uint256 initialRateWad, address owner_) Ownable(owner_) {
    _setRate(initialRateWad);
  }

  /// @notice Sets the exchange rate (ETH per token, WAD).
  function setRate(uint256 newRateWad) external onlyOwner {
    _setRate(newRateWad);
  }

  /// @notice ETH per token, WAD (weETH-style `getRate()`).
  function getRate() external view returns (uint256) {
    return _rateWad;
  }

  function _setRate(uint256 newRateWad) private {
    if (newRateWad == 0) revert ReplicaRateProviderZeroRate();
    uint256 old = _rateWad;
    _rateWad = newRateWad;
    emit RateUpdated(old, newRateWad);
  }
}
