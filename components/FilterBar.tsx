/**
 * Filters as a plain GET form: the choice lives in the URL (shareable) and
 * works without JavaScript.
 */
export interface Filter {
  name: string;
  label: string;
  value: string | undefined;
  options: { value: string; label: string }[];
}

export function FilterBar(
  { filters, action, sort }: {
    filters: Filter[];
    action: string;
    sort?: { sort: string; dir: string };
  },
) {
  const active = filters.some((f) => f.value);
  return (
    <form class="filters" method="get" action={action}>
      {filters.map((f) => (
        <label>
          <span>{f.label}</span>
          <select name={f.name}>
            <option value="">All</option>
            {f.options.map((o) => (
              <option value={o.value} selected={o.value === f.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
      ))}
      {sort && <input type="hidden" name="sort" value={sort.sort} />}
      {sort && <input type="hidden" name="dir" value={sort.dir} />}
      <button type="submit" class="btn">Apply</button>
      {active && <a class="btn ghost" href={action}>Clear</a>}
    </form>
  );
}
