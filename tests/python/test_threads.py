"""The library works without the GIL: two estimators fitted at once from two Python threads give
the models they give one after the other, bit for bit (thread counts are per thread, random
numbers are keyed by the seed)."""
import threading

import numpy as np

import rbmkit


def test_concurrent_fits_equal_sequential_fits(binary_data):
    X = np.tile(binary_data, (10, 1)).astype(np.float32)
    settings = [dict(n_components=32, n_iter=3, random_state=1, n_threads=2),
                dict(n_components=24, n_iter=3, random_state=2, method="cd", batch_size=50, n_threads=1)]
    sequential = [rbmkit.BernoulliRBM(**s).fit(X).components_ for s in settings]
    concurrent = [None, None]

    def fit(i):
        concurrent[i] = rbmkit.BernoulliRBM(**settings[i]).fit(X).components_

    threads = [threading.Thread(target=fit, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for seq, conc in zip(sequential, concurrent):
        np.testing.assert_array_equal(seq, conc)


def test_fits_from_threads_while_the_main_thread_runs_python(binary_data):
    """The GIL is released while the library trains: the main thread keeps counting."""
    X = np.tile(binary_data, (40, 1))
    done = threading.Event()
    worker = threading.Thread(target=lambda: (rbmkit.BernoulliRBM(n_components=64, n_iter=3).fit(X), done.set()))
    worker.start()
    ticks = 0
    while not done.is_set():
        ticks += 1
        done.wait(0.001)
    worker.join()
    assert ticks > 10
