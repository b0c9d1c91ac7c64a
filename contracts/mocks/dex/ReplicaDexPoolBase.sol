// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IReplicaDexPool} from "./IReplicaDexPool.sol";

/// @title ReplicaDexPoolBase
/// @notice Token custody, reserves and events shared by the replica's pools; the curve lives in the subclass.
abstract contract ReplicaDexPoolBase is IReplicaDexPool, Ownable {
  using SafeERC20 for IERC20;

  uint256 internal constant _BPS = 1e4;

  /// @inheritdoc IReplicaDexPool
  address public immutable TOKEN0;
  /// @inheritdoc IReplicaDexPool
  address public immutable TOKEN1;
  /// @inheritdoc IReplicaDexPool
  uint256 public immutable FEE_BPS;

  uint256 internal _reserve0;
  uint256 internal _reserve1;

  constructor(address token0, address token1, uint256 feeBps, address owner_) Ownable(owner_) {
    TOKEN0 = token0;
    TOKEN1 = token1;
    FEE_BPS = feeBps;
  }

  /// @inheritdoc IReplicaDexPool
  function getReserves() external view returns (uint256, uint256) {
    return (_reserve0, _reserve1);
  }

  /// @inheritdoc IReplicaDexPool
  function spotPriceWad() external view returns (uint256) {
    return _spotPriceWad(_reserve0, _reserve1);
  }

  /// @inheritdoc IReplicaDexPool
  function quote(address tokenIn, uint256 amountIn) public view returns (uint256) {
    bool zeroForOne = _direction(tokenIn);
    if (amountIn == 0) revert DexPoolZeroAmount();
    return _amountOut(zeroForOne, amountIn, _reserve0, _reserve1);
  }

  /// @inheritdoc IReplicaDexPool
  function swap(address tokenIn, uint256 amountIn, uint256 minAmountOut, address to) external returns (uint256 amountOut) {
    amountOut = quote(tokenIn, amountIn);
    if (amountOut < minAmountOut) revert DexPoolSlippage(amountOut, minAmountOut);
    bool zeroForOne = tokenIn == TOKEN0;
    uint256 reserveOut = zeroForOne ? _reserve1 : _reserve0;
    if (amountOut >= reserveOut) revert DexPoolInsufficientLiquidity(amountOut, reserveOut);
    IERC20(tokenIn).safeTransferFrom(msg.sender, address(this), amountIn);
    if (zeroForOne) {
      _reserve0 += amountIn;
      _reserve1 -= amountOut;
      IERC20(TOKEN1).safeTransfer(to, amountOut);
    } else {
      _reserve1 += amountIn;
      _reserve0 -= amountOut;
      IERC20(TOKEN0).safeTransfer(to, amountOut);
    }
    emit Swapped(msg.sender, tokenIn, amountIn, amountOut, to);
  }

  /// @inheritdoc IReplicaDexPool
  function addLiquidity(uint256 amount0, uint256 amount1) external {
    if (amount0 == 0 && amount1 == 0) revert DexPoolZeroAmount();
    if (amount0 > 0) IERC20(TOKEN0).safeTransferFrom(msg.sender, address(this), amount0);
    if (amount1 > 0) IERC20(TOKEN1).safeTransferFrom(msg.sender, address(this), amount1);
    _reserve0 += amount0;
    _reserve1 += amount1;
    emit LiquidityAdded(msg.sender, amount0, amount1);
  }

  /// @inheritdoc IReplicaDexPool
  function removeLiquidity(uint256 amount0, uint256 amount1, address to) external onlyOwner {
    if (amount0 >= _reserve0 || amount1 >= _reserve1) {
      revert DexPoolInsufficientLiquidity(amount0 >= _reserve0 ? amount0 : amount1, amount0 >= _reserve0 ? _reserve0 : _reserve1);
    }
    _reserve0 -= amount0;
    _reserve1 -= amount1;
    if (amount0 > 0) IERC20(TOKEN0).safeTransfer(to, amount0);
    if (amount1 > 0) IERC20(TOKEN1).safeTransfer(to, amount1);
    emit LiquidityRemoved(to, amount0, amount1);
  }

  function _direction(address tokenIn) internal view returns (bool zeroForOne) {
    if (tokenIn == TOKEN0) return true;
    if (tokenIn != TOKEN1) revert DexPoolUnknownToken(tokenIn);
    return false;
  }

  /// @dev Output amount (token units, after fee) for `amountIn` against reserves `r0`, `r1`.
  function _amountOut(bool zeroForOne, uint256 amountIn, uint256 r0, uint256 r1) internal view virtual returns (uint256);

  /// @dev Marginal TOKEN1-per-TOKEN0 price before fees, WAD.
  function _spotPriceWad(uint256 r0, uint256 r1) internal view virtual returns (uint256);
}
