// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IExchangeRateAdapter
/// @notice Normalises one LRT's protocol exchange rate (NAV per token) to ETH per token, 1e18 scale.
/// @dev One adapter per rate source (weETH `getRate()`, Kelp `rsETHPrice()`, ERC-4626 `convertToAssets`, Renzo,
/// StakeWise). Adapters are stateless and read-only; the oracle applies heartbeat-free sanity bounds to the result
/// because protocol exchange rates carry no timestamp.
interface IExchangeRateAdapter {
  /// @notice Thrown when the underlying source returns a value that cannot be normalised (e.g. zero supply).
  /// @param source The rate source that was read.
  error AdapterInvalidSourceValue(address source);

  /// @notice Thrown when an adapter is built with a zero address.
  error AdapterZeroAddress();

  /// @notice Current exchange rate.
  /// @return rateWad ETH per LRT token, 1e18 = at par (1 LRT redeems for 1 ETH of backing).
  function getRateWad() external view returns (uint256 rateWad);

  /// @notice The contract this adapter reads.
  function RATE_SOURCE() external view returns (address);

  /// @notice Whether the rate source can miss an unbacked mint: true when it reports a stored or self-reported
  /// price that forged supply does not move (Kelp `LRTOracle.rsETHPrice()`, updated by Kelp and blind to tokens
  /// minted without deposits, as on 2026-04-18). The oracle refuses such an asset without a proof-of-backing feed.
  function BLIND_TO_UNBACKED_MINTS() external view returns (bool);

  /// @notice Short description, e.g. "weETH getRate()".
  function description() external view returns (string memory);
}
