"""CVRP: PyVRP's hybrid genetic search against OR-Tools routing (guided local search), same time each."""

from __future__ import annotations

import math

from refuge.planning.instances import CVRPInstance, CVRPSolution


def solve_pyvrp(instance: CVRPInstance, seconds: float, seed: int = 1) -> CVRPSolution:
    from pyvrp import Model
    from pyvrp.stop import MaxRuntime

    m = Model()
    locations = [m.add_location(x=x, y=y) for x, y in instance.coords]
    m.add_depot(locations[0])
    m.add_vehicle_type(num_available=instance.size, capacity=[instance.capacity])  # the fleet is unlimited
    for where, demand in zip(locations[1:], instance.demands[1:]):
        m.add_client(where, delivery=[demand])
    for a, frm in enumerate(locations):
        for b, to in enumerate(locations):
            if a != b:
                m.add_edge(frm, to, distance=instance.distances[a][b])
    best = m.solve(stop=MaxRuntime(seconds), seed=seed, display=False).best
    if not best.is_feasible():
        return CVRPSolution((), None)
    routes = tuple(tuple(a.idx + 1 for a in r if a.is_client()) for r in best.routes())
    return CVRPSolution(routes, float(best.distance()))


def fleet_for_ortools(instance: CVRPInstance) -> int:
    """Vehicles offered to OR-Tools: half again the lower bound ceil(demand / capacity), at least two more.
    (Offering one vehicle per customer, as the fleet is unlimited, slows its search considerably.)"""
    least = math.ceil(sum(instance.demands) / instance.capacity)
    return min(instance.size, max(least + 2, math.ceil(1.5 * least)))


def solve_ortools(instance: CVRPInstance, seconds: float) -> CVRPSolution:
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    vehicles = fleet_for_ortools(instance)
    manager = pywrapcp.RoutingIndexManager(len(instance.demands), vehicles, 0)
    routing = pywrapcp.RoutingModel(manager)
    d = instance.distances

    def distance(i: int, j: int) -> int:
        return d[manager.IndexToNode(i)][manager.IndexToNode(j)]

    def demand(i: int) -> int:
        return instance.demands[manager.IndexToNode(i)]

    arc = routing.RegisterTransitCallback(distance)
    routing.SetArcCostEvaluatorOfAllVehicles(arc)
    load = routing.RegisterUnaryTransitCallback(demand)
    routing.AddDimensionWithVehicleCapacity(load, 0, [instance.capacity] * vehicles, True, "load")
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.FromMilliseconds(int(seconds * 1000))
    found = routing.SolveWithParameters(params)
    if found is None:
        return CVRPSolution((), None)
    routes = []
    for v in range(vehicles):
        index, route = routing.Start(v), []
        index = found.Value(routing.NextVar(index))
        while not routing.IsEnd(index):
            route.append(manager.IndexToNode(index))
            index = found.Value(routing.NextVar(index))
        if route:
            routes.append(tuple(route))
    return CVRPSolution(tuple(routes), float(found.ObjectiveValue()))
