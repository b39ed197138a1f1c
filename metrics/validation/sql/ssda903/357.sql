-- 357: the child's first episode in the file starts in the collection year but RNE is not S.
-- The file's episodes the loader refused (ssda903_refused_episodes, by the child's keyed hash)
-- count too, as in the validator: a refused episode may be the child's first.
with refused as (
    select la_code, collection_year, source_row, child_key, decom, dec, rne
    from ssda903_refused_episodes
    where decom is not null and collection_year between $first_year and $last_year
)
select la_code, collection_year, 'episodes' as table_name, source_row, child as child_key,
       decom as affects_from, dec_filled as affects_to
from v903_episodes e
where collection_year between $first_year and $last_year
  and position = 1 and decom >= make_date(collection_year - 1, 4, 1) and rne <> 'S'
  and not exists (select 1 from refused r
                  where r.la_code = e.la_code and r.collection_year = e.collection_year
                    and r.child_key = e.child_key and r.decom < e.decom)
union all
select la_code, collection_year, 'episodes', source_row, child_key, decom,
       coalesce(dec, make_date(collection_year, 3, 31))
from refused r
where decom >= make_date(collection_year - 1, 4, 1) and rne <> 'S'
  and not exists (select 1 from ssda903_episodes e
                  where e.la_code = r.la_code and e.collection_year = r.collection_year
                    and e.child_key = r.child_key and e.decom <= r.decom)
  and not exists (select 1 from refused o
                  where o.la_code = r.la_code and o.collection_year = r.collection_year
                    and o.child_key = r.child_key
                    and (o.decom < r.decom or (o.decom = r.decom and o.source_row < r.source_row)))
