// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {IPool} from "@aave/core-v3/contracts/interfaces/IPool.sol";

/// @title LoopAccount
/// @notice A smart account holding one looped Aave position of the seeded borrower population (as DeFi Saver or
///         Instadapp accounts hold positions on mainnet). It supplies, enters eMode and borrows through the real
///         Pool as itself; deployed as an EIP-1167 clone by `PositionOpener`, which is its only controller.
contract LoopAccount {
  using SafeERC20 for IERC20;

  /// @notice Thrown when anyone but the controller calls.
  error LoopAccountNotController(address caller);
  /// @notice Thrown when the account is initialized twice.
  error LoopAccountAlreadyInitialized();

  /// @notice The PositionOpener controlling this account.
  address public controller;

  modifier onlyController() {
    if (msg.sender != controller) revert LoopAccountNotController(msg.sender);
    _;
  }

  /// @notice Sets the controller once (clones have no constructor).
  function initialize(address controller_) external {
    if (controller != address(0)) revert LoopAccountAlreadyInitialized();
    controller = controller_;
  }

  /// @notice Opens the position: supply `collateralAmount` (already held), set eMode, borrow `debtAmount` variable.
  /// @dev The borrowed asset stays in the account (in a real loop it bought the collateral already supplied).
  function open(
    IPool pool,
    address collateral,
    uint256 collateralAmount,
    uint8 eModeCategoryId,
    address debtAsset,
    uint256 debtAmount
  ) external onlyController {
    IERC20(collateral).forceApprove(address(pool), collateralAmount);
    pool.supply(collateral, collateralAmount, address(this), 0);
    if (eModeCategoryId != 0) pool.setUserEMode(eModeCategoryId);
    // interest rate mode 2 = variable
    if (debtAmount > 0) pool.borrow(debtAsset, debtAmount, 2, 0, address(this));
  }

  /// @notice Arbitrary call as the account (unwinding, repaying, withdrawing in demos and scenarios).
  function execute(address target, bytes calldata data) external onlyController returns (bytes memory) {
    return Address.functionCall(target, data);
  }
}
