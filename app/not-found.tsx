import Link from 'next/link';

export default function NotFound() {
  return (
    <section className="state empty">
      <strong>No such page</strong>
      <p>
        Try the <Link href="/">services</Link>, <Link href="/traces">traces</Link> or <Link href="/breakers">circuit breakers</Link>.
      </p>
    </section>
  );
}
