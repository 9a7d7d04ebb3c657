-- The demo's two tables, in SQL that H2, PostgreSQL and MariaDB all read alike.
create table demo_boot_jobs (
  id bigint primary key,
  amount integer not null,
  status varchar(20) not null,
  worker varchar(20),
  version integer not null
);

-- One row per processed job: the primary key is what makes "exactly once" checkable.
create table demo_boot_results (
  job_id bigint primary key,
  total integer not null,
  worker varchar(20) not null,
  version integer not null
);
