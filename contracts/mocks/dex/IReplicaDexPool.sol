// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IReplicaDexPool
/// @notice Two-token LRT/WETH pool of the local replica. Liquidators really sell seized collateral into it and
///         move its price; scenarios read `spotPriceWad()` to drive market-price feeds. TOKEN0 is the LRT,
///         TOKEN1 is WETH; amounts are token units; prices are WETH per LRT token, WAD (1e18 = 1 WETH).
interface IReplicaDexPool {
  /// @notice Thrown when `token` is neither TOKEN0 nor TOKEN1.
  error DexPoolUnknownToken(address token);
  /// @notice Thrown when a swap would pay out less than the caller's minimum.
  error DexPoolSlippage(uint256 amountOut, uint256 minAmountOut);
  /// @notice Thrown when the pool cannot pay `amountOut` from a reserve of `reserveOut`.
  error DexPoolInsufficientLiquidity(uint256 amountOut, uint256 reserveOut);
  /// @notice Thrown on a zero swap or liquidity amount.
  error DexPoolZeroAmount();

  /// @notice Emitted after a swap.
  event Swapped(address indexed sender, address indexed tokenIn, uint256 amountIn, uint256 amountOut, address indexed to);
  /// @notice Emitted after liquidity was added (token units).
  event LiquidityAdded(address indexed provider, uint256 amount0, uint256 amount1);
  /// @notice Emitted after the owner removed liquidity (token units).
  event LiquidityRemoved(address indexed to, uint256 amount0, uint256 amount1);

  /// @notice The LRT.
  function TOKEN0() external view returns (address);

  /// @notice WETH.
  function TOKEN1() external view returns (address);

  /// @notice Swap fee, bps.
  function FEE_BPS() external view returns (uint256);

  /// @notice Current reserves, token units.
  function getReserves() external view returns (uint256 reserve0, uint256 reserve1);

  /// @notice Marginal price of TOKEN0 in TOKEN1 before fees, WAD.
  function spotPriceWad() external view returns (uint256);

  /// @notice Output of swapping `amountIn` of `tokenIn`, fees included, token units.
  function quote(address tokenIn, uint256 amountIn) external view returns (uint256 amountOut);

  /// @notice Swaps `amountIn` of `tokenIn` (pulled with transferFrom) for the other token, sent to `to`.
  function swap(address tokenIn, uint256 amountIn, uint256 minAmountOut, address to) external returns (uint256 amountOut);

  /// @notice Adds liquidity (pulled with transferFrom). No LP shares: depth is a scenario setting.
  function addLiquidity(uint256 amount0, uint256 amount1) external;

  /// @notice Removes liquidity to `to` (owner only), e.g. to model LPs leaving in a crisis.
  function removeLiquidity(uint256 amount0, uint256 amount1, address to) external;
}
