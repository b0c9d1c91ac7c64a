// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

// Minimal read interfaces of the real on-chain exchange-rate sources of the liquid restaking tokens we watch.
// Each is the exact function signature the protocol exposes on mainnet; the test mocks implement exactly these.

/// @title IWeEth
/// @notice ether.fi weETH token: `getRate()` returns eETH (= ETH) per weETH, 1e18 scale.
interface IWeEth {
  /// @return rateWad ETH per weETH, 1e18 = at par.
  function getRate() external view returns (uint256 rateWad);
}

/// @title IRateProvider
/// @notice Balancer-style rate provider (Renzo's ezETH `BalancerRateProvider`, and others): 1e18-scaled rate.
interface IRateProvider {
  /// @return rateWad ETH per token, 1e18 = at par.
  function getRate() external view returns (uint256 rateWad);
}

/// @title IKelpLrtOracle
/// @notice Kelp DAO `LRTOracle`: `rsETHPrice()` is the stored ETH value of one rsETH, 1e18 scale.
interface IKelpLrtOracle {
  /// @return priceWad ETH per rsETH, 1e18 = at par.
  function rsETHPrice() external view returns (uint256 priceWad);
}

/// @title IRenzoRestakeManager
/// @notice Renzo `RestakeManager`: `calculateTVLs()` returns per-operator-delegator and per-token TVLs and the
/// total TVL in ETH (1e18). ezETH per-token value = totalTVL / ezETH.totalSupply().
interface IRenzoRestakeManager {
  /// @return operatorDelegatorTokenTVLs TVL per operator delegator and token, in ETH (1e18).
  /// @return operatorDelegatorTVLs TVL per operator delegator, in ETH (1e18).
  /// @return totalTVL Total value locked in the protocol, in ETH (1e18).
  function calculateTVLs()
    external
    view
    returns (uint256[][] memory operatorDelegatorTokenTVLs, uint256[] memory operatorDelegatorTVLs, uint256 totalTVL);
}

/// @title IOsTokenVaultController
/// @notice StakeWise v3 `OsTokenVaultController`: converts osETH shares to ETH assets (1e18 scale).
interface IOsTokenVaultController {
  /// @param shares Amount of osETH (1e18 = one token).
  /// @return assets ETH value of `shares`, 1e18 scale.
  function convertToAssets(uint256 shares) external view returns (uint256 assets);
}
