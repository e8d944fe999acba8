/** Placeholder: replaced by the screen's implementation. */
export function FirstRun() {
  return (
    <main class="center-screen">
      <h1>Coffer</h1>
    </main>
  );
}
