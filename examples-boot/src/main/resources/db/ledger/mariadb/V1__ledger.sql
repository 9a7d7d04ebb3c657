-- The ledger's tables as Hibernate 7 maps Account and Transfer (schema validation off: the
-- migration's job); the entity names its sequence, as MariaDB's names are case-sensitive here.
-- agent-tests' Hibernate workload runs this same file as its migration.
create sequence account_seq start with 1 increment by 50;
create table account (id bigint primary key, business_key varchar(64) not null, worker integer not null,
  balance bigint not null, last_key varchar(64), version bigint not null) engine=InnoDB;
create table transfer (id bigint not null auto_increment primary key,
  business_key varchar(64) not null, account_id bigint not null, amount bigint not null) engine=InnoDB;
