import styles from './loading.module.css';

/** Shown while a signed-in page's data loads: the shape of the scorecard, not a spinner. */
export default function Loading() {
  return (
    <main className="page" aria-busy="true">
      <p className={styles.status} role="status">
        Loading…
      </p>
      <div className={styles.title} />
      <div className="cards">
        {[0, 1, 2].map((i) => (
          <div key={i} className={`card ${styles.card}`} />
        ))}
      </div>
    </main>
  );
}
