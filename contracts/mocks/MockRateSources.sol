// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

// Test doubles of the real LRT exchange-rate sources. Each implements exactly the functions our adapters read,
// with the mainnet signatures, plus a setter the scenario drives.

/// @title MockWeEth
/// @notice ether.fi weETH `getRate()` (also stands for any Balancer-style `getRate()` provider, e.g. Renzo's).
contract MockWeEth {
  uint256 private _rate;

  constructor(uint256 rateWad) {
    _rate = rateWad;
  }

  function setRate(uint256 rateWad) external {
    _rate = rateWad;
  }

  function getRate() external view returns (uint256) {
    return _rate;
  }
}

/// @title MockKelpLrtOracle
/// @notice Kelp `LRTOracle.rsETHPrice()`.
contract MockKelpLrtOracle {
  uint256 public rsETHPrice;

  constructor(uint256 priceWad) {
    rsETHPrice = priceWad;
  }

  function setRsETHPrice(uint256 priceWad) external {
    rsETHPrice = priceWad;
  }
}

/// @title MockDecimalsToken
/// @notice Only `decimals()` and `totalSupply()`, settable: the ERC-4626 asset and the ezETH supply source.
contract MockDecimalsToken {
  uint8 public immutable decimals;
  uint256 public totalSupply;

  constructor(uint8 decimals_, uint256 totalSupply_) {
    decimals = decimals_;
    totalSupply = totalSupply_;
  }

  function setTotalSupply(uint256 supply) external {
    totalSupply = supply;
  }
}

/// @title MockErc4626Vault
/// @notice ERC-4626 read surface used by the adapter: `decimals()`, `asset()`, `convertToAssets(shares)`.
contract MockErc4626Vault {
  uint8 public immutable decimals;
  address public immutable asset;
  /// @notice Assets (in asset units) per one share (10**decimals).
  uint256 public assetsPerShare;

  constructor(uint8 shareDecimals, uint8 assetDecimals, uint256 assetsPerShare_) {
    decimals = shareDecimals;
    asset = address(new MockDecimalsToken(assetDecimals, 0));
    assetsPerShare = assetsPerShare_;
  }

  function setAssetsPerShare(uint256 value) external {
    assetsPerShare = value;
  }

  function convertToAssets(uint256 shares) external view returns (uint256) {
    return (shares * assetsPerShare) / 10 ** decimals;
  }
}

/// @title MockRenzoRestakeManager
/// @notice Renzo `RestakeManager.calculateTVLs()`; only the total TVL is meaningful here.
contract MockRenzoRestakeManager {
  uint256 public totalTvl;

  constructor(uint256 totalTvlWad) {
    totalTvl = totalTvlWad;
  }

  function setTotalTvl(uint256 totalTvlWad) external {
    totalTvl = totalTvlWad;
  }

  function calculateTVLs() external view returns (uint256[][] memory, uint256[] memory, uint256) {
    return (new uint256[][](0), new uint256[](0), totalTvl);
  }
}

/// @title MockOsTokenVaultController
/// @notice StakeWise `OsTokenVaultController.convertToAssets(shares)`.
contract MockOsTokenVaultController {
  uint256 public rateWad;

  constructor(uint256 rateWad_) {
    rateWad = rateWad_;
  }

  function setRate(uint256 rateWad_) external {
    rateWad = rateWad_;
  }

  function convertToAssets(uint256 shares) external view returns (uint256) {
    return (shares * rateWad) / 1e18;
  }
}
