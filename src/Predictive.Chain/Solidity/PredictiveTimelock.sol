// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @notice OpenZeppelin's TimelockController, unchanged; named here so the project's compile step emits its artifact.
/// Set-up (done by the deployer): the Governor is the only proposer, the Governor and the guardian cancel, anyone
/// executes a ready operation, and the deployer renounces the admin role.
contract PredictiveTimelock is TimelockController {
    constructor(uint256 minDelay, address[] memory proposers, address[] memory executors, address admin)
        TimelockController(minDelay, proposers, executors, admin)
    {}
}
