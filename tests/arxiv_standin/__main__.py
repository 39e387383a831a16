"""Serve the stand-in from the command line (benchmarks, trying the CLI by hand):

    python -m tests.arxiv_standin --port 8801 [--shared] [--oai-page-size 2500] [--fault-rate http_503=0.2 …]
"""

from __future__ import annotations

import argparse
import signal
import threading

from tests.arxiv_standin.corpus import Corpus, fixture_papers, shared_papers
from tests.arxiv_standin.server import StandIn


def main() -> None:
    parser = argparse.ArgumentParser(description="The offline arXiv stand-in.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8801)
    parser.add_argument("--shared", action="store_true", help="serve the whole shared corpus too")
    parser.add_argument("--fault-rate", action="append", default=[], metavar="KIND=P",
                        help="inject a fault at this rate (repeatable)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--oai-page-size", type=int, default=2500,
                        help="records per ListRecords page (arXiv's: 2,500)")
    args = parser.parse_args()
    corpus = Corpus((shared_papers() if args.shared else []) + fixture_papers())
    server = StandIn(corpus, host=args.host, port=args.port)
    server.state.oai_page_size = args.oai_page_size
    if args.fault_rate:
        rates = {kind: float(p) for kind, _, p in (r.partition("=") for r in args.fault_rate)}
        server.faults.set_rates(rates, seed=args.seed)  # type: ignore[arg-type]
    server.start()
    print(f"arXiv stand-in: {len(corpus)} papers; API {server.url}, OAI {server.oai_url}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    server.stop()


if __name__ == "__main__":
    main()
