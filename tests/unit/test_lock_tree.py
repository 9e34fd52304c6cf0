"""The lock tree: chains, several blockers per victim, cycles, prepared transactions, storms."""

from __future__ import annotations

from pgwatch_tui.views.locks import MAX_NODES, LockNode, build_lock_tree, lock_summary, node_label
from tests.factories import T0, lock_wait, session


def pids(node: LockNode) -> list[object]:
    return [node.pid, [pids(c) for c in node.children]]


def test_a_chain_nests_as_deep_as_it_goes() -> None:
    waits = [lock_wait(pid=2, blocking_pids=[1]), lock_wait(pid=3, blocking_pids=[2])]
    forest = build_lock_tree(waits, [session(pid=p) for p in (1, 2, 3)], T0)
    assert [pids(r) for r in forest.roots] == [[1, [[2, [[3, []]]]]]]
    root = forest.roots[0]
    assert root.wait is None
    assert root.holds == ("ExclusiveLock",)
    assert root.victims == 2
    assert forest.waiting == 2


def test_roots_are_ordered_by_how_many_they_hold_up() -> None:
    waits = [
        lock_wait(pid=11, blocking_pids=[10]),
        lock_wait(pid=21, blocking_pids=[20]),
        lock_wait(pid=22, blocking_pids=[20]),
    ]
    forest = build_lock_tree(waits, [], T0)
    assert [r.pid for r in forest.roots] == [20, 10]


def test_a_victim_of_two_blockers_appears_under_each_marked() -> None:
    waits = [lock_wait(pid=3, blocking_pids=[1, 2])]
    forest = build_lock_tree(waits, [], T0)
    assert [r.pid for r in forest.roots] == [1, 2]
    under_1 = forest.roots[0].children[0]
    under_2 = forest.roots[1].children[0]
    assert under_1.also_blocked_by == (2,)
    assert under_2.also_blocked_by == (1,)
    assert "also blocked by 2" in node_label(under_1)


def test_a_wait_cycle_has_no_root_and_is_shown_once_marked() -> None:
    waits = [lock_wait(pid=5, blocking_pids=[6]), lock_wait(pid=6, blocking_pids=[5])]
    forest = build_lock_tree(waits, [], T0)
    assert len(forest.roots) == 1
    top = forest.roots[0]
    assert top.pid == 5
    assert top.cycle
    assert top.children[0].pid == 6
    assert top.children[0].children[0].cycle  # back to 5: not expanded again
    assert "WAIT CYCLE" in node_label(top)
    assert "1 wait cycle" in lock_summary(forest)


def test_prepared_transaction_blocker_is_named() -> None:
    forest = build_lock_tree([lock_wait(pid=9, blocking_pids=[0])], [], T0)
    assert forest.roots[0].pid == 0
    assert node_label(forest.roots[0]).startswith("prepared transaction")


def test_a_storm_is_capped_but_counted() -> None:
    waits = [lock_wait(pid=1000 + i, blocking_pids=[1]) for i in range(MAX_NODES + 50)]
    forest = build_lock_tree(waits, [], T0)
    shown = len(forest.roots[0].children)
    assert shown < MAX_NODES + 50
    assert forest.truncated == MAX_NODES + 50 - shown
    assert "more not shown" in lock_summary(forest)


def test_a_hundred_deep_chain() -> None:
    waits = [lock_wait(pid=i + 1, blocking_pids=[i]) for i in range(1, 101)]
    forest = build_lock_tree(waits, [], T0)
    depth, node = 0, forest.roots[0]
    while node.children:
        node, depth = node.children[0], depth + 1
    assert depth == 100
    assert forest.roots[0].victims == 100


def test_label_shows_mode_relation_age_and_query_literally() -> None:
    victim = session(pid=2, query="UPDATE \x1b[31m[bold]x[/]", user="app", application="web")
    forest = build_lock_tree(
        [lock_wait(pid=2, blocking_pids=[1], wait_age_s=12.0)], [session(pid=1), victim], T0
    )
    label = node_label(forest.roots[0].children[0])
    assert "wants ShareLock on accounts (transaction 777)" in label
    assert "waiting 12s" in label
    assert "\x1b" not in label
    assert "[bold]x[/]" in label


def test_no_waits_no_tree() -> None:
    forest = build_lock_tree([], [session()], T0)
    assert forest.roots == ()
    assert lock_summary(forest) == "No session is waiting on a lock."
