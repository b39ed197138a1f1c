-- The 903 rules' shared inputs: the WITH list that every validation statement starts with (see
-- metrics.validation.runner). Each is materialised once per statement, however many rules read
-- it, so the orderings and joins several rules need are computed once. A definition is
-- `name as materialized (...)`, one after another, separated by commas. A year's "file" is the
-- episodes stored under that collection year (a later file's copy of an episode replaces the
-- earlier one: see loaders/ssda903.py).

-- Every stored episode with its place among the child's episodes in its year's file (by DECOM,
-- unique per child), the previous and next episode's fields, and the child's header DOB, row and
-- collection year (rules on DOB flag the header row too, as the validator does).
v903_episodes as materialized (
    select e.la_code, e.child, e.decom, e.rne, e.ls, e.cin, e.place, e.place_provider, e.dec, e.rec,
           e.collection_year, e.source_row,
           coalesce(e.dec, make_date(e.collection_year, 3, 31)) as dec_filled,
           row_number() over w as position,
           lag(e.dec) over w as previous_dec,
           lag(e.rec) over w as previous_rec,
           lag(e.ls) over w as previous_ls,
           lag(e.place) over w as previous_place,
           lag(e.place_provider) over w as previous_provider,
           lag(e.pl_post_key) over w as previous_pl_post_key,
           lag(e.urn_key) over w as previous_urn_key,
           e.pl_post_key, e.urn_key, e.child_key,
           -- postcode hashes are comparable only between rows of one load (loaders/pseudonyms.py)
           e.batch_id is not distinct from lag(e.batch_id) over w as same_load_as_previous,
           lead(e.decom) over w as next_decom,
           h.dob, h.source_row as header_row, h.collection_year as header_year
    from ssda903_episodes e
    left join ssda903_header h on h.la_code = e.la_code and h.child = e.child
    window w as (partition by e.la_code, e.collection_year, e.child order by e.decom)
),

-- The child's first episode in each year's file that has a previous year to compare with (a
-- year whose episodes file recorded its last episodes): the file's own rows and rows a later
-- file carried on (open at the year's end), by DECOM; beside it, the last episode of the child
-- in last year's file (last_*: null when there is none) and whether last year's file is loaded
-- at all. Read by 502, 503A-E and 562.
v903_first_episodes as materialized (
    select f.*, l.decom as last_decom, l.dec as last_dec, l.rne as last_rne, l.ls as last_ls,
           l.cin as last_cin, l.place as last_place, l.place_provider as last_place_provider,
           l.urn_key as last_urn_key,
           l.child is not null as has_last,
           exists (select 1 from ssda903_last_episodes p
                   where p.la_code = f.la_code and p.collection_year = f.collection_year - 1)
               as last_year_loaded
    from (
        select e.la_code, e.child, y.collection_year, e.source_row, e.decom, e.dec, e.rne, e.ls,
               e.cin, e.place, e.place_provider, e.urn_key
        from ssda903_episodes e
        join (select distinct la_code, collection_year from ssda903_last_episodes) y
          on y.la_code = e.la_code and y.collection_year <= e.collection_year
         and y.collection_year >= year(e.decom) + (month(e.decom) >= 4)::integer
        qualify row_number() over (
            partition by e.la_code, y.collection_year, e.child order by e.decom) = 1
    ) f
    left join ssda903_last_episodes l
      on l.la_code = f.la_code and l.child = f.child and l.collection_year = f.collection_year - 1
),

-- Each OC3 row beside the episodes of its year's file (its own rows and rows a later year's file
-- carried on, open at its end). Read by 1007, 1011 and 1016.
v903_oc3_episodes as materialized (
    select o.la_code, o.collection_year, o.source_row, o.child, o.dob, o.birthday, o.in_touch,
           o.activ, o.accom, e.decom, e.dec, e.rec
    from ssda903_oc3 o
    join ssda903_episodes e on e.la_code = o.la_code and e.child = o.child
     and (e.collection_year = o.collection_year
          or (e.collection_year > o.collection_year and e.decom <= make_date(o.collection_year, 3, 31)))
)
