"""The candidate join of an add, revised rather than redone.

The join is a function of each fingerprint's *bucket* on its own: the rows of one hash
value (after the furniture and common-sentence filters) give the same (pair, shared
fingerprint) rows and the same big bucket whatever the other hashes hold
(:func:`copydesk.plan.join_rows`; a bucket's representative is its member of smallest
:func:`~copydesk.plan.id_rank`, and adding articles keeps the rank order of the others).
So a bucket can change only if a new article has its hash, or a row of it changed sides
of the furniture filter (the corpus furniture grows with the corpus).  Those are the
*touched* hashes.  For them the join is run twice, on the rows as they were (old articles,
the furniture of the last refresh) and as they are, and:

* a pair with a new article has all its rows among the touched hashes: its evidence is
  computed from the rows as they are;
* a pair of two old articles whose rows from touched hashes are the same both times kept
  all its rows, so it keeps its verdict; one whose rows differ (a bucket grew past the cap,
  got a new representative, lost a furniture line) has all its rows joined again, from the
  hashes of its articles;
* the big buckets are kept with a count per (representative, member) row, so the
  buckets of the touched hashes can be taken out as they were and put in as they are.

Pair evidence decides candidacy per pair (shared fingerprints, co-location, the
short-article rule on both articles' fingerprint counts), so the candidates kept from the
last refresh are exactly those a full join would keep.  Whatever this argument does not
cover (a replaced article, no kept state, too many pairs to revise) runs the full join.
Off by default: see :data:`MAX_REVISED_SHARE`.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import numpy as np

from ..candidates import BigBuckets, Candidates, in_sorted, make_candidates
from ..config import ScanConfig
from ..furniture import CodeSet, Furniture, pair_codes
from ..plan import join_rows, pair_evidence
from .blobs import pack_arrays, unpack_arrays
from .reader import PARTS

_M32 = np.int64(0xFFFFFFFF)
#: revise when at most this share of the articles have pairs to join again; beyond it, join
#: in full.  0 (the default): never revise, keep no state.  Measured at 100,000 articles in
#: adds of 10,000 (bench/RESULTS.md): the buckets the new articles touch (bucket_cap 8: a
#: stock phrase's bucket passes the cap, or a new article becomes a big bucket's
#: representative) leave more than half the articles to join again, so the revision cost a
#: pass over every partition and then the full join anyway.  Exact (the parity tests run
#: it on every add); left off until the revision can be bounded before its first pass.
MAX_REVISED_SHARE = 0.0


@dataclass(slots=True)
class JoinState:
    """What the last refresh's join found, by index numbers (stable across adds): the
    candidates (``left << 32 | right``, left the smaller id) and their shared counts, the
    merged big buckets' rows (``rep << 32 | member``) with their counts, and the numbers of
    fingerprint rows and (pair, fingerprint) rows joined."""

    codes: np.ndarray
    shared: np.ndarray
    big: np.ndarray
    mult: np.ndarray
    fingerprints: int
    pair_rows: int


def ensure_table(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE IF NOT EXISTS join_state (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID")


def load_state(conn: sqlite3.Connection) -> JoinState | None:
    ensure_table(conn)
    row = conn.execute("SELECT value FROM join_state WHERE key = 'state'").fetchone()
    if row is None:
        return None
    a = unpack_arrays(row[0])
    return JoinState(a["codes"], a["shared"], a["big"], a["mult"], int(a["counts"][0]), int(a["counts"][1]))


def save_state(conn: sqlite3.Connection, numbers: np.ndarray, cands: Candidates, fingerprints: int,
               pair_rows: int) -> None:
    """Keep ``cands`` (refresh numbers ``i``; ``numbers[i]``: its index number)."""
    ensure_table(conn)
    nb = np.asarray(numbers, np.int64)
    big = cands.big_buckets
    if big.mult is None:
        raise ValueError("the big buckets were merged without their counts")
    rep = np.repeat(big.reps, np.diff(big.first))
    state = {"codes": nb[cands.left] << 32 | nb[cands.right], "shared": np.asarray(cands.shared, np.int64),
             "big": nb[rep] << 32 | nb[big.members], "mult": np.asarray(big.mult, np.int64),
             "counts": np.array([fingerprints, pair_rows], np.int64)}
    conn.execute("INSERT OR REPLACE INTO join_state VALUES ('state', ?)", (pack_arrays(state),))


def forget_state(conn: sqlite3.Connection) -> None:
    ensure_table(conn)
    conn.execute("DELETE FROM join_state")


def _partition(conn: sqlite3.Connection, p: int, dense: np.ndarray, new_batch: int
               ) -> tuple[np.ndarray, ...] | None:
    """Fingerprint rows of partition ``p`` (the add's own included: this is the writing
    connection): hash, refresh number, position, line key, and whether the add brought it."""
    chunks = []
    for batch, blob in conn.execute("SELECT batch, rows FROM fingerprints WHERE part = ? ORDER BY batch", (p,)):
        a = unpack_arrays(blob)
        chunks.append((a["h"], a["d"], a["p"], a["k"], np.full(len(a["h"]), batch == new_batch)))
    if not chunks:
        return None
    h, n, pos, k, new = (np.concatenate(c) for c in zip(*chunks, strict=True))
    doc = dense[n.astype(np.int64)]
    ok = doc >= 0
    return h[ok], doc[ok], pos[ok], k[ok], new[ok]


def _keys(codes: np.ndarray, pl: np.ndarray, pr: np.ndarray) -> np.ndarray:
    """(pair, positions) rows as one sortable record each."""
    out = np.empty(len(codes), [("c", "<i8"), ("x", "<i8")])
    out["c"] = codes
    out["x"] = pl.astype(np.int64) << 32 | pr.astype(np.int64)
    return out


def _differ(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Pair codes with rows in one of the record arrays ``a``, ``b`` and not the other (a
    (pair, positions) row is at most once in each: one per hash)."""
    both = np.concatenate((a, b))
    if not len(both):
        return np.zeros(0, np.int64)
    both.sort(order=("c", "x"))
    same = (both["c"][1:] == both["c"][:-1]) & (both["x"][1:] == both["x"][:-1])
    once = np.ones(len(both), np.bool_)
    once[1:] &= ~same
    once[:-1] &= ~same
    return np.unique(both["c"][once])


def _big_rows(big: BigBuckets) -> np.ndarray:
    return np.repeat(big.reps, np.diff(big.first)) << 32 | big.members


def revise(conn: sqlite3.Connection, state: JoinState, numbers: np.ndarray, dense: np.ndarray,
           new_batch: int, rank: np.ndarray, furniture: Furniture, before: dict[int, np.ndarray],
           doc_fps: np.ndarray, cfg: ScanConfig) -> tuple[Candidates, int, int] | None:
    """The candidates of all live articles (refresh numbers), revised from ``state``; None
    when a full join is due instead.  ``before``: the furniture line keys masked in each
    article at the last refresh (refresh numbers), ``furniture``: as it is now."""
    ndocs = len(numbers)
    nb = np.asarray(numbers, np.int64)
    is_new = np.zeros(ndocs + 1, np.bool_)
    new_docs = np.flatnonzero(nb >= _first_new(conn, new_batch))
    is_new[new_docs] = True
    after_set = CodeSet(furniture.codes)
    has_after = np.zeros(ndocs + 1, np.bool_)
    has_after[furniture.docs] = True
    bdocs = np.array(sorted(before), np.int64)
    bcodes = [pair_codes(np.full(len(before[d]), d, np.int64), before[d].astype(np.uint64)) for d in bdocs.tolist()]
    before_codes = np.concatenate([np.zeros(0, np.uint64), *bcodes])
    before_set = CodeSet(before_codes)
    has_before = np.zeros(ndocs + 1, np.bool_)
    has_before[bdocs] = True
    # rows whose furniture side changed: (article, line key) masked now and not then, or then and not now
    after_codes = np.unique(np.asarray(furniture.codes, np.uint64))
    changed = CodeSet(np.setxor1d(after_codes, np.unique(before_codes)))
    has_changed = has_after | has_before

    kept_rows: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    dirty: list[np.ndarray] = []
    big_in: list[np.ndarray] = []
    big_out: list[np.ndarray] = []
    fingerprints, pair_rows = state.fingerprints, state.pair_rows
    for p in range(PARTS):
        part = _partition(conn, p, dense, new_batch)
        if part is None:
            continue
        h, doc, pos, k, new = part
        touched = new.copy()
        some = np.flatnonzero(has_changed[doc] & ~new)
        if len(some) and changed.size:
            touched[some] |= changed.contains(pair_codes(doc[some], k[some]))
        hashes = np.unique(h[touched])
        if not len(hashes):
            continue
        sel = in_sorted(h, hashes)
        ca, la, ra, ba, na = join_rows(h[sel], doc[sel], pos[sel], k[sel], rank, after_set, has_after, cfg)
        old = sel & ~new
        cb, lb, rb, bb, nb_rows = join_rows(h[old], doc[old], pos[old], k[old], rank, before_set, has_before, cfg)
        fingerprints += na - nb_rows
        pair_rows += len(ca) - len(cb)
        with_new = is_new[ca >> 32] | is_new[ca & _M32]
        kept_rows.append((ca[with_new], la[with_new], ra[with_new]))
        dirty.append(_differ(_keys(ca[~with_new], la[~with_new], ra[~with_new]), _keys(cb, lb, rb)))
        big_in.append(_big_rows(ba))
        big_out.append(_big_rows(bb))
    redo = np.unique(np.concatenate([np.zeros(0, np.int64), *dirty]))
    redo_docs = np.unique(np.concatenate((redo >> 32, redo & _M32)))
    if len(redo_docs) > MAX_REVISED_SHARE * ndocs:
        return None
    if len(redo):
        is_redo = np.zeros(ndocs + 1, np.bool_)
        is_redo[redo_docs] = True
        for p in range(PARTS):
            part = _partition(conn, p, dense, new_batch)
            if part is None:
                continue
            h, doc, pos, k, _ = part
            hashes = np.unique(h[is_redo[doc]])
            if not len(hashes):
                continue
            sel = in_sorted(h, hashes)
            c, pl, pr, _, _ = join_rows(h[sel], doc[sel], pos[sel], k[sel], rank, after_set, has_after, cfg)
            mine = in_sorted(c, redo)
            kept_rows.append((c[mine], pl[mine], pr[mine]))
    e64, e32 = np.zeros(0, np.int64), np.zeros(0, np.uint32)
    c, pl, pr = (np.concatenate([e, *x]) for e, x in zip((e64, e32, e32), zip(*kept_rows, strict=True), strict=True)) \
        if kept_rows else (e64, e32, e32)
    codes, counts, colo = pair_evidence(c, pl, pr, cfg)
    fresh = make_candidates(codes, counts, colo, [], cfg.candidates, doc_fps)
    # the kept candidates, in refresh numbers, less those revised
    old = (dense[state.codes >> 32] << 32) | dense[state.codes & _M32]
    keep = ~in_sorted(old, redo)
    all_codes = np.concatenate((old[keep], (fresh.left << 32) | fresh.right))
    shared = np.concatenate((state.shared[keep], fresh.shared))
    order = np.argsort(all_codes, kind="stable")
    all_codes, shared = all_codes[order], shared[order]
    big = _revised_buckets(state, dense, big_in, big_out)
    return Candidates(all_codes >> 32, all_codes & _M32, shared, big), pair_rows, fingerprints


def _first_new(conn: sqlite3.Connection, batch: int) -> int:
    return int(conn.execute("SELECT first FROM batches WHERE batch = ?", (batch,)).fetchone()[0])


def _revised_buckets(state: JoinState, dense: np.ndarray, big_in: list[np.ndarray],
                     big_out: list[np.ndarray]) -> BigBuckets:
    """The merged big buckets (refresh numbers, counts kept): the last refresh's, less the
    touched buckets as they were, plus the touched buckets as they are."""
    old = (dense[state.big >> 32] << 32) | dense[state.big & _M32]
    e = np.zeros(0, np.int64)
    rows = np.concatenate((old, *big_in, *big_out))
    sign = np.concatenate((state.mult, np.ones(sum(len(x) for x in big_in), np.int64),
                           -np.ones(sum(len(x) for x in big_out), np.int64)))
    if not len(rows):
        return BigBuckets.of_rows(e)
    order = np.argsort(rows, kind="stable")
    rows, sign = rows[order], sign[order]
    starts = np.flatnonzero(np.concatenate(([True], rows[1:] != rows[:-1])))
    total = np.add.reduceat(sign, starts)
    uniq = rows[starts]
    live = total > 0
    if (total < 0).any():
        raise RuntimeError("the kept big buckets do not match the index (a bucket taken out twice)")
    uniq, total = uniq[live], total[live]
    # of_rows counts repeats: expand each row by its count
    return BigBuckets.of_rows(np.repeat(uniq, total))
