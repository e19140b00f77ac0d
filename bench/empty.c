/* bench/empty.c — does nothing: measures each simulator's start-up and exit cost. */
int main(void);

int main(void)
{
    return 0;
}
