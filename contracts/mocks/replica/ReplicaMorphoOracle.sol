// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IOracle} from "@morpho-org/morpho-blue/src/interfaces/IOracle.sol";
import {IReplicaPriceSource} from "./IReplicaPriceSource.sol";

/// @title ReplicaMorphoOracle
/// @notice Morpho Blue `IOracle` of the replica: the collateral priced in the loan token (WETH) from one of the
/// replica's price sources, `MarketPriceSource` (market-price regime, as Morpho's ezETH/WETH market priced ezETH in
/// April 2024) or `ExchangeRatePriceSource` (exchange-rate regime, CAPO-like). Both give `assetEthWad()` (ETH per
/// collateral token, WAD); the loan token is WETH, priced 1:1 with ETH.
/// @dev `price() = assetEthWad x SCALE_FACTOR`, SCALE_FACTOR = 10^(18 + loanDecimals - collateralDecimals), i.e.
/// Morpho's 1e36 scale adjusted for decimals. A source answering zero is refused at construction.
contract ReplicaMorphoOracle is IOracle {
  /// @notice The replica price source read.
  IReplicaPriceSource public immutable SOURCE;
  /// @notice 10^(18 + loanDecimals - collateralDecimals).
  uint256 public immutable SCALE_FACTOR;

  /// @notice The decimals give a scale outside 10^0..10^36.
  error ReplicaMorphoOracleInvalidDecimals(uint8 collateralDecimals, uint8 loanDecimals);
  /// @notice The source prices the collateral at zero: Morpho would treat every position as worthless.
  error ReplicaMorphoOracleZeroPrice(address source);

  constructor(IReplicaPriceSource source, uint8 collateralDecimals, uint8 loanDecimals) {
    if (18 + uint256(loanDecimals) < collateralDecimals || 18 + uint256(loanDecimals) - collateralDecimals > 36) {
      revert ReplicaMorphoOracleInvalidDecimals(collateralDecimals, loanDecimals);
    }
    SOURCE = source;
    SCALE_FACTOR = 10 ** (18 + uint256(loanDecimals) - collateralDecimals);
    if (source.assetEthWad() == 0) revert ReplicaMorphoOracleZeroPrice(address(source));
  }

  /// @inheritdoc IOracle
  function price() external view returns (uint256) {
    return SOURCE.assetEthWad() * SCALE_FACTOR;
  }
}
