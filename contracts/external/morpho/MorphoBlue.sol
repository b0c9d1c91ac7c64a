// SPDX-License-Identifier: MIT
pragma solidity 0.8.19;

// Compiles Morpho Blue from the `@morpho-org/morpho-blue@1.0.0` package source (BUSL-1.1, not copied here) so the
// Morpho replica deploys the real contract. solc 0.8.19 as Morpho pins it; see hardhat.config.ts.
import {Morpho} from "@morpho-org/morpho-blue/src/Morpho.sol";
