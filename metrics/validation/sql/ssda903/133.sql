-- 133: ACCOM is not one of the valid accommodation codes (blank included).
select la_code, collection_year, 'oc3' as table_name, source_row, child as child_key,
       birthday as affects_from, birthday as affects_to
from ssda903_oc3
where collection_year between $first_year and $last_year
  and accom not in ('B1', 'B2', 'C1', 'C2', 'D1', 'D2', 'E1', 'E2', 'G1', 'G2', 'H1', 'H2', 'K1',
                    'K2', 'R1', 'R2', 'S2', 'T1', 'T2', 'U1', 'U2', 'V1', 'V2', 'W1', 'W2', 'X2',
                    'Y1', 'Y2', 'Z1', 'Z2', '0')
